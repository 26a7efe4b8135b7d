using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Trips;

/// <summary>The trip history (C3 with the owner's consent, P5): nothing without the consent, each drive and the charge level with
/// it, deleted when it goes; on each engine.</summary>
public abstract class TripHistoryTests(PitwallServer server)
{
    private static async Task<JsonElement> HistoryAsync(HttpClient client, string vin, string query = "")
    {
        var response = await client.GetAsync($"/api/v1/vehicles/{vin}/trips/history{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static Task<HttpResponseMessage> KeepAsync(HttpClient client, string vin, bool? keep) =>
        client.PutAsJsonAsync($"/api/v1/vehicles/{vin}/trips/history", new { keep });

    private Task<(int Drives, int Levels)> StoredAsync(string vin) =>
        server.Get<Database>().ReadAsync(async c => (
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vehicle_trip_history WHERE vin = @vin", new { vin }),
            await c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM vehicle_charge_history WHERE vin = @vin", new { vin })), CancellationToken.None);

    /// <summary>A drive of 10 minutes ending now (engine stop, 18.5 kWh/100 km), then a status report with the charge level.</summary>
    private async Task DriveAsync(TestCar car, double distance, double chargeLevel)
    {
        var at = server.Clock.GetUtcNow();
        TripFigures Figures() => new()
        {
            StartedAtMs = at.AddMinutes(-10).ToUnixTimeMilliseconds(), DurationS = 600, DistanceM = distance, AverageSpeedMps = distance / 600,
            AverageElectricConsumptionKwhPer100Km = 18.5,
        };
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope
        {
            Seq = seq,
            TripStatistics = new TripStatistics
            {
                Cause = TripStatistics.Types.Cause.EngineStop, RecordedAtMs = at.ToUnixTimeMilliseconds(), ShortTerm = Figures(), LongTerm = Figures(),
            },
        });
        await car.WaitForAckAsync(seq);
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.EngineStop, TestCar.Number(SignalCatalog.StateOfCharge, chargeLevel, at)));
    }

    [Fact]
    public async Task Without_consent_nothing_is_kept_with_it_each_drive_and_the_charge_level_are_and_stopping_deletes_them()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);
        await DriveAsync(car, 5_000, 80);
        var before = await HistoryAsync(owned.Client, owned.Vin);
        Assert.False(before.GetProperty("kept").GetBoolean());
        Assert.Equal(90, before.GetProperty("retentionDays").GetInt32());
        Assert.Equal(0, before.GetProperty("drives").GetArrayLength());
        Assert.Equal((0, 0), await StoredAsync(owned.Vin));

        var kept = await KeepAsync(owned.Client, owned.Vin, true);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);
        Assert.True((await kept.JsonAsync()).GetProperty("kept").GetBoolean());
        await DriveAsync(car, 12_000, 71.5);
        server.Clock.Advance(TimeSpan.FromMinutes(3));
        await DriveAsync(car, 3_000, 70); // within 10 minutes of the last charge level: no new point
        server.Clock.Advance(TimeSpan.FromMinutes(11));
        await DriveAsync(car, 7_000, 64);

        var history = await HistoryAsync(owned.Client, owned.Vin);
        Assert.True(history.GetProperty("kept").GetBoolean());
        var drives = history.GetProperty("drives").EnumerateArray().ToList();
        Assert.Equal([12_000, 3_000, 7_000], drives.Select(d => d.GetProperty("distanceMetres").GetDouble()));
        Assert.All(drives, d => Assert.Equal(18.5, d.GetProperty("averageElectricConsumptionKwhPer100Km").GetDouble(), 6));
        Assert.All(drives, d => Assert.Equal(600, d.GetProperty("durationSeconds").GetInt64()));
        var levels = history.GetProperty("stateOfCharge").EnumerateArray().Select(l => l.GetProperty("percent").GetDouble()).ToList();
        Assert.Equal([71.5, 64], levels);
        Assert.Equal(3, (await HistoryAsync(owned.Client, owned.Vin, "?days=1")).GetProperty("drives").GetArrayLength());

        // Stopping withdraws the consent and deletes the history at once.
        Assert.Equal(HttpStatusCode.OK, (await KeepAsync(owned.Client, owned.Vin, false)).StatusCode);
        Assert.Equal((0, 0), await StoredAsync(owned.Vin));
        var consents = await (await owned.Client.GetAsync("/api/v1/me/consents")).JsonAsync();
        Assert.All(consents.EnumerateArray().Where(c => c.GetProperty("purpose").GetString() == "trip_history"),
            c => Assert.NotEqual(JsonValueKind.Null, c.GetProperty("withdrawnAt").ValueKind));
        await DriveAsync(car, 4_000, 60);
        Assert.Equal((0, 0), await StoredAsync(owned.Vin));
    }

    [Fact]
    public async Task A_driver_sees_the_history_from_joining_on_but_cannot_start_or_stop_it_and_unpairing_deletes_it()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);
        Assert.Equal(HttpStatusCode.OK, (await KeepAsync(owned.Client, owned.Vin, true)).StatusCode);
        await DriveAsync(car, 9_000, 55);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var driver = await server.NewOwnerAsync();
        var driverClient = server.ClientWith(driver.AccessToken);
        Assert.Equal(HttpStatusCode.Created, (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/drivers", new { email = driver.Email })).StatusCode);
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await DriveAsync(car, 2_000, 50);

        var seen = await HistoryAsync(driverClient, owned.Vin);
        Assert.True(seen.GetProperty("kept").GetBoolean());
        Assert.Equal([2_000], seen.GetProperty("drives").EnumerateArray().Select(d => d.GetProperty("distanceMetres").GetDouble()));
        Assert.Equal(2, (await HistoryAsync(owned.Client, owned.Vin)).GetProperty("drives").GetArrayLength());
        await (await KeepAsync(driverClient, owned.Vin, false)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");

        await server.Get<PairingService>().UnpairAsync(owned.Vin, CancellationToken.None);
        Assert.Equal((0, 0), await StoredAsync(owned.Vin));
    }

    [Fact]
    public async Task Bad_requests_get_field_errors_another_accounts_car_is_not_found_and_the_openapi_document_lists_both_operations()
    {
        var owned = await server.OwnedVehicleAsync();
        await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/trips/history?days=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/trips/history?days=91")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await KeepAsync(owned.Client, owned.Vin, null)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var stranger = await server.NewOwnerAsync();
        var strangerClient = server.ClientWith(stranger.AccessToken);
        await (await strangerClient.GetAsync($"/api/v1/vehicles/{owned.Vin}/trips/history")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await KeepAsync(strangerClient, owned.Vin, true)).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        var document = await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync();
        var path = document.GetProperty("paths").GetProperty("/api/v1/vehicles/{vin}/trips/history");
        Assert.True(path.TryGetProperty("get", out _));
        Assert.True(path.TryGetProperty("put", out _));
    }
}

public sealed class TripHistoryOnSqlite(SqliteServer server) : TripHistoryTests(server), IClassFixture<SqliteServer>;

public sealed class TripHistoryOnPostgres(PostgresServer server) : TripHistoryTests(server), IClassFixture<PostgresServer>;
