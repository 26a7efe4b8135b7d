using System.Net;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>The API and portal access log (H6): what a request leaves behind, and that it is gone after 30 days.</summary>
public abstract class AccessLogTests(PitwallServer server)
{
    private sealed class Row
    {
        public long OccurredAt { get; init; }
        public string ClientIp { get; init; } = "";
        public string Method { get; init; } = "";
        public string Route { get; init; } = "";
        public int Status { get; init; }
        public int DurationMs { get; init; }
        public string? AccountId { get; init; }

        public override string ToString() => $"{OccurredAt} {ClientIp} {Method} {Route} {Status} {DurationMs} {AccountId}";
    }

    private Task<List<Row>> RowsAsync(string where, object args) =>
        server.Get<Database>().ReadAsync(async c => (await c.QueryAsync<Row>(
            $"SELECT occurred_at AS OccurredAt, client_ip AS ClientIp, method AS Method, route AS Route, status AS Status, duration_ms AS DurationMs, account_id AS AccountId FROM access_log WHERE {where}",
            args)).ToList(), CancellationToken.None);

    /// <summary>The entry is queued once the response has gone, so wait for the writer's batches until it is there.</summary>
    private async Task<List<Row>> EventuallyAsync(string where, object args, int atLeast = 1)
    {
        var log = server.Get<AccessLog>();
        while (true)
        {
            var nextBatch = log.NextBatchAsync();
            var rows = await RowsAsync(where, args);
            if (rows.Count >= atLeast)
            {
                return rows;
            }
            try
            {
                await nextBatch.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                var all = await RowsAsync("1 = 1", new { });
                Assert.Fail($"No entry where {where}; the log holds: {string.Join("; ", all.Select(r => $"{r.Method} {r.Route} {r.Status}"))}");
            }
        }
    }

    private Task SweepAsync() => server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);

    [Fact]
    public async Task A_request_is_logged_with_address_route_template_status_and_account_but_no_vin_or_token()
    {
        var (owner, accountId, client, vin, _) = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/vehicles/{vin}/status?token={owner.AccessToken}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.GetAsync($"/api/v1/vehicles/{vin}/location")).StatusCode);

        var mine = Assert.Single(await EventuallyAsync("account_id = @accountId AND route = '/api/v1/vehicles/{vin}/status'", new { accountId }));
        Assert.Equal("127.0.0.1", mine.ClientIp);
        Assert.Equal("GET", mine.Method);
        Assert.Equal(200, mine.Status);
        Assert.Equal(server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), mine.OccurredAt);
        var anonymous = (await EventuallyAsync("route = '/api/v1/vehicles/{vin}/location'", new { })).Last();
        Assert.Equal(401, anonymous.Status);
        Assert.Null(anonymous.AccountId);

        await server.Get<AccessLog>().FlushAsync(CancellationToken.None);
        var everything = string.Join("\n", (await RowsAsync("1 = 1", new { })).Select(r => r.ToString()));
        Assert.DoesNotContain(vin, everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(owner.AccessToken, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(owner.Email, everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Unrouted_requests_and_portal_pages_are_logged_without_their_path()
    {
        var probe = $"/wp-admin/{Guid.NewGuid():N}";
        var (vin, _) = await server.RegisterVehicleAsync();
        await server.Client.GetAsync(probe);
        await server.Client.GetAsync("/signin");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.Client.BaseAddress };
        Assert.Equal(HttpStatusCode.Redirect, (await noRedirects.GetAsync($"/vehicles/{vin}")).StatusCode);

        Assert.NotEmpty(await EventuallyAsync("route = @route AND status = 404", new { route = AccessLogMiddleware.Unrouted }));
        Assert.NotEmpty(await EventuallyAsync("route = '/signin' AND status = 200", new { }));
        Assert.NotEmpty(await EventuallyAsync("route = '/vehicles/{vin}' AND status = 302", new { }));
        Assert.Empty(await RowsAsync("route LIKE '%wp-admin%' OR route LIKE @vin", new { vin = $"%{vin}%" }));
    }

    [Fact]
    public async Task The_data_export_holds_the_accounts_access_log()
    {
        var (_, accountId, client, vin, _) = await server.OwnedVehicleAsync();
        await client.GetAsync($"/api/v1/vehicles/{vin}/status");
        await EventuallyAsync("account_id = @accountId AND route = '/api/v1/vehicles/{vin}/status'", new { accountId });

        using var archive = new System.IO.Compression.ZipArchive(await (await client.GetAsync("/api/v1/me/data-export")).Content.ReadAsStreamAsync());
        var json = System.Text.Json.JsonDocument.Parse(new StreamReader(archive.GetEntry("access_log.json")!.Open()).ReadToEnd()).RootElement;
        Assert.Contains(json.GetProperty("tables").GetProperty("access_log").EnumerateArray(),
            r => r.GetProperty("route").GetString() == "/api/v1/vehicles/{vin}/status" && r.GetProperty("client_ip").GetString() == "127.0.0.1");
    }

    [Fact]
    public async Task Entries_are_kept_thirty_days_to_the_second_and_on_postgres_old_days_are_dropped_whole()
    {
        // Start at noon (UTC) tomorrow, so the entries' days are known.
        var now = server.Clock.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var noon = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        server.Clock.Advance(noon - now);
        var (_, accountId, client, vin, _) = await server.OwnedVehicleAsync();
        await client.GetAsync($"/api/v1/vehicles/{vin}/status");
        var nextDay = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        server.Clock.Advance(nextDay + TimeSpan.FromSeconds(1) - server.Clock.GetUtcNow());
        var later = await server.OwnedVehicleAsync(); // signed in anew: the first token has expired by now
        await later.Client.GetAsync($"/api/v1/vehicles/{later.Vin}/status");
        const string first = "account_id = @accountId AND route = '/api/v1/vehicles/{vin}/status'";
        await EventuallyAsync(first, new { accountId });
        await EventuallyAsync(first, new { accountId = later.AccountId });
        var partitions = server.Get<DayPartitions>();
        var postgres = server.Dialect == SqlDialect.Postgres;

        // One second before the first entry's 30 days end, both stay.
        server.Clock.Advance(noon + TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1) - server.Clock.GetUtcNow());
        await SweepAsync();
        Assert.Single(await RowsAsync(first, new { accountId }));
        if (postgres)
        {
            Assert.Contains(day, await partitions.ListAsync("access_log", CancellationToken.None));
        }

        // Two seconds later it is gone on both engines; on PostgreSQL its day, which has not wholly expired, stays.
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var removed = await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Empty(await RowsAsync(first, new { accountId }));
        Assert.True(removed.GetValueOrDefault("access_log") >= 1);
        if (postgres)
        {
            Assert.Contains(day, await partitions.ListAsync("access_log", CancellationToken.None));
        }

        // 30 days after the end of that day: its partition is dropped; the entry made one second after midnight stays.
        server.Clock.Advance(nextDay + TimeSpan.FromDays(30) - server.Clock.GetUtcNow());
        var before = await partitions.ListAsync("access_log", CancellationToken.None);
        await SweepAsync();
        Assert.Single(await RowsAsync(first, new { accountId = later.AccountId }));
        if (postgres)
        {
            var after = await partitions.ListAsync("access_log", CancellationToken.None);
            Assert.Contains(day, before);
            Assert.DoesNotContain(day, after);
            Assert.Contains(day.AddDays(1), after);
            // Partitions of the coming days are made ahead.
            Assert.Contains(DateOnly.FromDateTime(server.Clock.GetUtcNow().UtcDateTime).AddDays(2), after);
        }

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await SweepAsync();
        Assert.Empty(await RowsAsync(first, new { accountId = later.AccountId }));
    }
}

public sealed class AccessLogOnSqlite(SqliteServer server) : AccessLogTests(server), IClassFixture<SqliteServer>;

public sealed class AccessLogOnPostgres(PostgresServer server) : AccessLogTests(server), IClassFixture<PostgresServer>
{
    [Fact]
    public async Task Rows_of_a_day_without_partition_wait_in_the_default_partition_and_move_when_it_is_created()
    {
        var database = server.Get<Database>();
        var day = new DateOnly(2001, 2, 3);
        var at = DayPartitions.StartOf(day) + 5000;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO access_log (occurred_at, client_ip, method, route, status, duration_ms) VALUES (@at, '192.0.2.1', 'GET', '/x', 200, 1)", new { at }, t), CancellationToken.None);
        Task<long> CountAsync(string table) => database.ReadAsync(c => c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table} WHERE occurred_at = @at", new { at }), CancellationToken.None);
        Assert.Equal(1, await CountAsync("access_log_default"));

        await server.Get<DayPartitions>().EnsureAsync("access_log", "occurred_at", day, CancellationToken.None);
        await server.Get<DayPartitions>().EnsureAsync("access_log", "occurred_at", day, CancellationToken.None); // once is enough
        Assert.Equal(0, await CountAsync("access_log_default"));
        Assert.Equal(1, await CountAsync(DayPartitions.NameOf("access_log", day)));
        Assert.Equal(1, await CountAsync("access_log"));
    }
}

/// <summary>The switch: with the access log off, requests leave nothing behind.</summary>
public sealed class AccessLogSwitchedOffServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:AccessLog:Enabled", "false")];
}

public sealed class AccessLogSwitchedOff(AccessLogSwitchedOffServer server) : IClassFixture<AccessLogSwitchedOffServer>
{
    [Fact]
    public async Task Switched_off_it_records_nothing()
    {
        var (_, _, client, vin, _) = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/vehicles/{vin}/status")).StatusCode);
        await server.Get<AccessLog>().FlushAsync(CancellationToken.None);
        Assert.Equal(0, await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT count(*) FROM access_log"), CancellationToken.None));
    }
}
