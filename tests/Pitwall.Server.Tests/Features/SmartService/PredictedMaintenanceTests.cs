using System.Net;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>
/// Smart Service (F1) end to end with the simulated car over simulated months (the test clock moves a day at a time): its
/// brakes wear from its own driving, the predicted maintenance follows the trend, the owner is told when it becomes due, the
/// car displays the health, and a fault reaches the owner with its description.
/// </summary>
public abstract class PredictedMaintenanceTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, ServiceCondition condition, double wearFactor)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 911, Powertrain = Powertrain.Combustion,
            TimeProvider = server.Clock, FaultsPer1000Km = 0, ServiceCondition = condition, WearFactor = wearFactor,
            PeriodicInterval = TimeSpan.FromHours(6), RecordReceivedFrames = true,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private Task DayAsync(SimulatedVehicle car, int minutes) => SimulatedDays.DayAsync(server, car, minutes);

    private Task<HttpClient> OwnerAsync(OwnedVehicle owned) => SimulatedDays.OwnerAsync(server, owned);

    private async Task<JsonElement> HealthAsync(OwnedVehicle owned)
    {
        var response = await (await OwnerAsync(owned)).GetAsync($"/api/v1/vehicles/{owned.Vin}/health");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static JsonElement Component(JsonElement health, string id) =>
        health.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private async Task<List<JsonElement>> InboxAsync(OwnedVehicle owned, string type) =>
        [.. (await NotificationInbox.ReadAsync(await OwnerAsync(owned))).Where(n => n.GetProperty("type").GetString() == type)];

    [Fact]
    public async Task Brakes_wear_over_months_the_prediction_follows_the_driving_and_the_owner_is_told_when_they_become_due()
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        Assert.Equal("not_reported", (await HealthAsync(owned)).GetProperty("unavailable").GetString());
        await using var car = await ConnectAsync(owned, new ServiceCondition { BrakePadsFrontWear = 50, OilLife = 100 }, wearFactor: 6);

        // A month of short commutes: a trend, a date and a mileage, and the data it rests on.
        for (var day = 0; day < 30; day++)
        {
            await DayAsync(car, 20);
        }
        var pads = Component(await HealthAsync(owned), "brake_pads_front");
        Assert.Equal("ok", pads.GetProperty("state").GetString());
        Assert.Equal("trend", pads.GetProperty("basis").GetString());
        Assert.True(pads.GetProperty("dataPoints").GetInt32() >= 29, pads.ToString());
        var firstConfidence = pads.GetProperty("confidence").GetDouble();
        Assert.InRange(firstConfidence, 0.1, 1);
        var firstDate = pads.GetProperty("predictedDate").GetDateTimeOffset();
        var firstOdometer = pads.GetProperty("predictedOdometerMetres").GetDouble();
        Assert.True(firstDate > server.Clock.GetUtcNow().AddDays(60), pads.ToString());
        Assert.True(firstOdometer > car.Odometer, pads.ToString());
        Assert.DoesNotContain(await InboxAsync(owned, "service.due"), n => n.GetProperty("message").GetString()!.StartsWith("Brake pads", StringComparison.Ordinal));

        // The driver now drives three times as far a day: the same wear per kilometre, so about the same mileage, but sooner.
        for (var day = 0; day < 30; day++)
        {
            await DayAsync(car, 60);
        }
        pads = Component(await HealthAsync(owned), "brake_pads_front");
        var laterDate = pads.GetProperty("predictedDate").GetDateTimeOffset();
        Assert.True(laterDate < firstDate.AddDays(-7), $"{laterDate} should be well before {firstDate}");
        Assert.InRange(pads.GetProperty("predictedOdometerMetres").GetDouble(), firstOdometer * 0.9, firstOdometer * 1.1);
        Assert.True(pads.GetProperty("confidence").GetDouble() > firstConfidence, pads.ToString()); // more data, less extrapolation

        // Until the pads are due: the owner hears it once, with the predicted date and mileage; the car shows it.
        for (var day = 0; day < 120 && Component(await HealthAsync(owned), "brake_pads_front").GetProperty("state").GetString() == "ok"; day++)
        {
            await DayAsync(car, 60);
        }
        pads = Component(await HealthAsync(owned), "brake_pads_front");
        Assert.Equal("due_soon", pads.GetProperty("state").GetString());
        var told = Assert.Single(await InboxAsync(owned, "service.due"), n => n.GetProperty("message").GetString()!.StartsWith("Brake pads (front)", StringComparison.Ordinal));
        Assert.Contains("maintenance due soon, predicted by", told.GetProperty("message").GetString());
        Assert.Equal("Maintenance due", told.GetProperty("title").GetString());
        var shown = await car.WaitForFrameAsync(e => e.ServiceHealth?.Components.Any(c =>
            c.Id == ComponentCatalog.BrakePadsFront.Id && c.State == Pitwall.Protocol.V1.ComponentHealth.Types.State.DueSoon) == true).WaitAsync(Patience);
        Assert.True(shown.Envelope.ServiceHealth.Components.Single(c => c.Id == ComponentCatalog.BrakePadsFront.Id).DueAtMs > 0);
        Assert.Equal(TimeSpan.FromDays(1), car.ServiceLogInterval); // the cloud's setting came with the first health
        await DayAsync(car, 60);
        Assert.Single(await InboxAsync(owned, "service.due"), n => n.GetProperty("message").GetString()!.StartsWith("Brake pads (front)", StringComparison.Ordinal));

        // The history behind it: one point a day, the wear rising.
        var owner = await OwnerAsync(owned);
        var history = await (await owner.GetAsync($"/api/v1/vehicles/{owned.Vin}/health/components/brake_pads_front")).JsonAsync();
        var values = history.GetProperty("points").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()).ToList();
        Assert.True(values.Count >= 60, values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(values[^1] > values[0] + 10);
        Assert.Equal("%", history.GetProperty("unit").GetString());
        await (await owner.GetAsync($"/api/v1/vehicles/{owned.Vin}/health/components/flux_capacitor")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var stranger = await server.OwnedVehicleAsync();
        await (await stranger.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }

    [Fact]
    public async Task A_fault_in_the_car_reaches_the_owner_with_its_description_and_a_recommendation_and_clears_when_the_car_drops_it()
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        await using var car = await ConnectAsync(owned, new ServiceCondition(), wearFactor: 1);
        await car.RaiseFaultAsync("P0301", "engine");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);

        var told = Assert.Single(await InboxAsync(owned, "service.fault"));
        Assert.Equal("Vehicle fault", told.GetProperty("title").GetString());
        Assert.StartsWith("Fault P0301: Cylinder 1 Misfire Detected. Misfire or ignition fault", told.GetProperty("message").GetString());
        var fault = Assert.Single((await HealthAsync(owned)).GetProperty("faults").EnumerateArray());
        Assert.Equal(("P0301", "Cylinder 1 Misfire Detected", "pending", "high"), (fault.GetProperty("code").GetString(), fault.GetProperty("description").GetString(),
            fault.GetProperty("status").GetString(), fault.GetProperty("severity").GetString()));
        Assert.Contains(fault.GetProperty("freezeFrame").EnumerateArray(), v => v.GetProperty("name").GetString() == "engine_speed");
        var shown = await car.WaitForFrameAsync(e => e.ServiceHealth?.Faults.Count > 0).WaitAsync(Patience);
        Assert.Equal("Cylinder 1 Misfire Detected", shown.Envelope.ServiceHealth.Faults.Single().Description);

        // The same fault again is no news; once the car no longer lists it, it is no longer open.
        await car.RaiseFaultAsync("P0301", "engine");
        await car.SendServiceLogAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
        Assert.Single(await InboxAsync(owned, "service.fault"));
        Assert.Equal(2, (await HealthAsync(owned)).GetProperty("faults")[0].GetProperty("occurrences").GetInt32());
        await car.ServiceAtWorkshopAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(1));
        await car.SendServiceLogAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Empty((await HealthAsync(owned)).GetProperty("faults").EnumerateArray());
        var items = await server.Get<Pitwall.Server.Features.SmartService.ICarHealth>().DueItemsAsync(owned.Vin, CancellationToken.None);
        Assert.DoesNotContain(items, i => i.Contains("P0301", StringComparison.Ordinal));
    }
}

public sealed class PredictedMaintenanceOnSqlite(SmartServiceSqliteServer server) : PredictedMaintenanceTests(server), IClassFixture<SmartServiceSqliteServer>;

public sealed class PredictedMaintenanceOnPostgres(SmartServicePostgresServer server) : PredictedMaintenanceTests(server), IClassFixture<SmartServicePostgresServer>;
