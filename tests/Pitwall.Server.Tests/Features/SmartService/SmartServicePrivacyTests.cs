using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>Smart Service privacy (P3–P6): erasure leaves only de-identified product observation; product observation follows
/// the market of the car's owner (their address's country, else their locale's region, else the installation's market) and is
/// kept exactly that market's years from creation — 10 (French-language notice), 30 (Austria, German-language notice).</summary>
public abstract class SmartServicePrivacyTests(PitwallServer server, string installationMarket)
{
    private Task<long> CountAsync(string sql, object? args = null) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    /// <summary>An owner in <paramref name="how"/>: <c>address:XX</c> (postal address in country XX), <c>locale:xx-XX</c>, or
    /// <c>none</c> (neither names a country).</summary>
    private async Task<OwnedVehicle> OwnerAsync(string how)
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        var (kind, value) = how.Split(':') is [var k, var v] ? (k, v) : (how, "");
        object? change = kind switch
        {
            "address" => new { address = new { street = "Hauptstraße 1", postalCode = "1010", city = "Somewhere", country = value } },
            "locale" => new { locale = value },
            _ => null,
        };
        if (change is not null)
        {
            Assert.Equal(HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", change)).StatusCode);
        }
        return owned;
    }

    private async Task SendLogAsync(OwnedVehicle owned, params string[] faults)
    {
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: ServiceLogIngestTests.AboveTheSimulator());
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, ServiceLog = ServiceLogIngestTests.Log(server.Clock.GetUtcNow(), faults) });
        await car.WaitForAckAsync(seq);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
    }

    private Task<IEnumerable<string>> MarketsAsync(string vin) => server.Get<Database>().ReadAsync(
        c => c.QueryAsync<string>("SELECT market FROM product_observation WHERE vin = @vin ORDER BY created_at", new { vin }), CancellationToken.None);

    private string Expected(string how) => how switch
    {
        "none" => installationMarket,
        _ => how[^2..],
    };

    public static TheoryData<string> Owners => ["address:AT", "locale:fr-FR", "none"];

    [Theory]
    [MemberData(nameof(Owners))]
    public async Task Erasing_the_account_removes_the_smart_service_data_and_keeps_product_observation_only_without_the_vin(string owner)
    {
        var owned = await OwnerAsync(owner);
        var marker = $"P{Random.Shared.Next(0x1000, 0x3FFF):X4}";
        await SendLogAsync(owned, marker);
        var vin = owned.Vin;
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_health WHERE vin = @vin", new { vin }));
        var erased = await owned.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        foreach (var table in (string[])["service_logs", "service_conditions", "service_faults", "service_health", "service_pending", "product_observation"])
        {
            Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {table} WHERE vin = @vin", new { vin }));
        }
        var kept = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string? Vin, string Model, long ModelYear, string Market, string Content)>(
            "SELECT vin, model, model_year, market, content FROM product_observation WHERE content LIKE @marker", new { marker = $"%{marker}%" }), CancellationToken.None);
        Assert.Equal((null, "911", 2024L, Expected(owner)), (kept.Vin, kept.Model, kept.ModelYear, kept.Market));
        Assert.DoesNotContain(vin, kept.Content);
    }

    [Fact]
    public async Task A_row_stored_before_the_prediction_job_ran_is_settled_with_the_owners_market_when_the_account_is_erased()
    {
        var owned = await OwnerAsync("address:AT");
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: ServiceLogIngestTests.AboveTheSimulator()))
        {
            var seq = car.NextSeq();
            await car.SendAsync(new Envelope { Seq = seq, ServiceLog = ServiceLogIngestTests.Log(server.Clock.GetUtcNow(), "P0700") });
            await car.WaitForAckAsync(seq);
        }
        Assert.Equal([installationMarket], await MarketsAsync(owned.Vin)); // provisional: the installation's market, until settled
        var erased = await owned.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        var kept = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string? Vin, string Model, string Market, long Kept)>(
            "SELECT vin, model, market, delete_after - created_at FROM product_observation WHERE content LIKE '%P0700%' AND model_year = 2024 AND market = 'AT'"),
            CancellationToken.None);
        Assert.Equal((null, "911", "AT", TimeSpan.FromDays(365 * 30).Ticks / TimeSpan.TicksPerMillisecond), kept);
    }

    [Fact]
    public async Task Product_observation_is_kept_exactly_its_markets_years_from_creation_each_market_by_its_own_period()
    {
        // Four owners: Austria by address (30 years), France by locale (10), Germany by address (not listed: 10), none (installation's).
        var cars = new Dictionary<string, (OwnedVehicle Owned, int Years)>();
        foreach (var (how, years) in ((string, int)[])[("address:AT", 30), ("locale:fr-FR", 10), ("address:DE", 10), ("none", installationMarket == "AT" ? 30 : 10)])
        {
            var owned = await OwnerAsync(how);
            await SendLogAsync(owned);
            Assert.Equal([Expected(how)], await MarketsAsync(owned.Vin));
            cars[how] = (owned, years);
        }
        var created = server.Clock.GetUtcNow();

        async Task<HashSet<string>> KeptAfterAsync(TimeSpan sinceCreation)
        {
            server.Clock.Advance(created + sinceCreation - server.Clock.GetUtcNow());
            await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
            var kept = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (how, car) in cars)
            {
                if (await CountAsync("SELECT COUNT(*) FROM product_observation WHERE vin = @vin", new { vin = car.Owned.Vin }) > 0)
                {
                    kept.Add(how);
                }
            }
            return kept;
        }

        var tenYears = TimeSpan.FromDays(3650);
        var thirtyYears = TimeSpan.FromDays(365 * 30);
        Assert.Equal([.. cars.Keys], await KeptAfterAsync(tenYears - TimeSpan.FromMinutes(1)));
        Assert.Equal([.. cars.Where(c => c.Value.Years == 30).Select(c => c.Key)], await KeptAfterAsync(tenYears + TimeSpan.FromMinutes(1)));
        Assert.Contains("address:AT", await KeptAfterAsync(thirtyYears - TimeSpan.FromMinutes(1)));
        Assert.Empty(await KeptAfterAsync(thirtyYears + TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task The_market_follows_the_owner_a_change_of_address_counts_for_the_logs_after_it()
    {
        var owned = await OwnerAsync("none");
        await SendLogAsync(owned);
        var moved = await owned.Client.PatchAsJsonAsync("/api/v1/me", new { address = new { street = "Ring 1", postalCode = "1010", city = "Wien", country = "AT" } });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        server.Clock.Advance(Pitwall.Server.Features.SmartService.CarMarkets.Lifetime);
        await SendLogAsync(owned);
        Assert.Equal([installationMarket, "AT"], await MarketsAsync(owned.Vin));
        var deleteAfter = await server.Get<Database>().ReadAsync(c => c.QueryAsync<long>(
            "SELECT delete_after - created_at FROM product_observation WHERE vin = @vin ORDER BY created_at", new { vin = owned.Vin }), CancellationToken.None);
        Assert.Equal(TimeSpan.FromDays(365 * 30).Ticks / TimeSpan.TicksPerMillisecond, deleteAfter.Last());
    }

    [Fact]
    public async Task The_register_shows_each_markets_period()
    {
        var category = await (await server.Client.GetAsync("/api/v1/privacy/data-categories/product_observation")).JsonAsync();
        var retention = category.GetProperty("retention");
        Assert.Equal("period", retention.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, retention.GetProperty("days").ValueKind);
        var markets = retention.GetProperty("markets").EnumerateArray()
            .Select(m => (m.GetProperty("market").GetString(), m.GetProperty("years").GetInt32(), m.GetProperty("days").GetInt32())).ToList();
        Assert.Equal([("AT", 30, 10950), ("FR", 10, 3650), (null, 10, 3650)], markets);
        Assert.Contains("30 years in AT, 10 years in FR", retention.GetProperty("description").GetString());
    }
}

public sealed class AustriaMarketPostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Pitwall:SmartService:PredictionEnabled", "false"), new("Pitwall:SmartService:Market", "AT")];
}

/// <summary>An installation in France (the default market) on SQLite; one in Austria on PostgreSQL.</summary>
public sealed class SmartServicePrivacyOnSqlite(SmartServiceSqliteServer server) : SmartServicePrivacyTests(server, "FR"), IClassFixture<SmartServiceSqliteServer>;

public sealed class SmartServicePrivacyAustriaOnPostgres(AustriaMarketPostgresServer server) : SmartServicePrivacyTests(server, "AT"), IClassFixture<AustriaMarketPostgresServer>;
