using System.Net;
using System.Net.Http.Json;
using Dapper;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>Smart Service privacy (P3–P6): erasure leaves only de-identified product observation; product observation is kept
/// per market, 10 years (French-language notice) or 30 years (Austria, German-language notice), exactly.</summary>
public abstract class SmartServicePrivacyTests(PitwallServer server, string market, int years)
{
    private Task<long> CountAsync(string sql, object? args = null) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    private async Task<OwnedVehicle> WithLogAsync()
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: ServiceLogIngestTests.AboveTheSimulator());
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, ServiceLog = ServiceLogIngestTests.Log(server.Clock.GetUtcNow(), "P0420") });
        await car.WaitForAckAsync(seq);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
        return owned;
    }

    [Fact]
    public async Task Erasing_the_account_removes_the_smart_service_data_and_keeps_product_observation_only_without_the_vin()
    {
        var owned = await WithLogAsync();
        var vin = owned.Vin;
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM service_health WHERE vin = @vin", new { vin }));
        var erased = await owned.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        foreach (var table in (string[])["service_logs", "service_conditions", "service_faults", "service_health", "service_pending", "product_observation"])
        {
            Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {table} WHERE vin = @vin", new { vin }));
        }
        var kept = await server.Get<Database>().ReadAsync(c => c.QuerySingleAsync<(string? Vin, string Model, long ModelYear, string Market, string Content)>(
            "SELECT vin, model, model_year, market, content FROM product_observation WHERE content LIKE @marker", new { marker = "%P0420%" }), CancellationToken.None);
        Assert.Equal((null, "911", 2024L, market), (kept.Vin, kept.Model, kept.ModelYear, kept.Market));
        Assert.DoesNotContain(vin, kept.Content);
    }

    [Fact]
    public async Task Product_observation_is_kept_exactly_the_markets_years_from_creation()
    {
        var owned = await WithLogAsync();
        var created = server.Clock.GetUtcNow();
        var period = TimeSpan.FromDays(365 * years);
        server.Clock.Advance(period - TimeSpan.FromMinutes(1));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM product_observation WHERE vin = @vin", new { vin = owned.Vin }));
        server.Clock.Advance(TimeSpan.FromMinutes(2));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM product_observation WHERE vin = @vin", new { vin = owned.Vin }));
        Assert.True(server.Clock.GetUtcNow() - created > period);
    }
}

public sealed class FranceMarketSqliteServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Pitwall:SmartService:PredictionEnabled", "false"), new("Pitwall:SmartService:Market", "FR")];
}

public sealed class AustriaMarketPostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Pitwall:SmartService:PredictionEnabled", "false"), new("Pitwall:SmartService:Market", "AT")];
}

public sealed class AustriaMarketSqliteServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [new("Pitwall:SmartService:PredictionEnabled", "false"), new("Pitwall:SmartService:Market", "AT")];
}

public sealed class SmartServicePrivacyFranceOnSqlite(FranceMarketSqliteServer server) : SmartServicePrivacyTests(server, "FR", 10), IClassFixture<FranceMarketSqliteServer>;

public sealed class SmartServicePrivacyAustriaOnSqlite(AustriaMarketSqliteServer server) : SmartServicePrivacyTests(server, "AT", 30), IClassFixture<AustriaMarketSqliteServer>;

public sealed class SmartServicePrivacyAustriaOnPostgres(AustriaMarketPostgresServer server) : SmartServicePrivacyTests(server, "AT", 30), IClassFixture<AustriaMarketPostgresServer>;
