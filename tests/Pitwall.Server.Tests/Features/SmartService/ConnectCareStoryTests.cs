using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Features.Dealers;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>
/// Connect Care end to end (issue 24, "Tests must show"), one story on the real vehicle link: a simulated car wears its brakes
/// over simulated months (the test clock moves a day at a time), the prediction moves with the driving, the owner is told when
/// the pads become due, books with a dealer (the reason says what is due), the dealer confirms and reads the data the car sent,
/// another dealer gets 404, and once the owner erases the account only de-identified product observation is left.
/// </summary>
public abstract class ConnectCareStoryTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private Task<long> CountAsync(string sql, object args) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    private Task DayAsync(SimulatedVehicle car, int minutes) => SimulatedDays.DayAsync(server, car, minutes);

    private Task<HttpClient> OwnerAsync(OwnedVehicle owned) => SimulatedDays.OwnerAsync(server, owned);

    private async Task<JsonElement> FrontPadsAsync(OwnedVehicle owned) =>
        (await (await (await OwnerAsync(owned)).GetAsync($"/api/v1/vehicles/{owned.Vin}/health")).JsonAsync())
        .GetProperty("components").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "brake_pads_front");

    [Fact]
    public async Task Worn_brakes_are_predicted_announced_booked_confirmed_and_read_by_the_chosen_dealer_alone_and_erasure_leaves_only_de_identified_observation()
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 2424, Powertrain = Powertrain.Combustion,
            TimeProvider = server.Clock, FaultsPer1000Km = 0, ServiceCondition = new ServiceCondition { BrakePadsFrontWear = 55, OilLife = 100 },
            WearFactor = 6, PeriodicInterval = TimeSpan.FromHours(6),
        });
        await car.ConnectAsync().WaitAsync(Patience);

        // Two weeks of short trips give a trend; then longer days bring the predicted date forward.
        for (var day = 0; day < 14; day++)
        {
            await DayAsync(car, 20);
        }
        var before = await FrontPadsAsync(owned);
        Assert.Equal(("ok", "trend"), (before.GetProperty("state").GetString(), before.GetProperty("basis").GetString()));
        var firstDate = before.GetProperty("predictedDate").GetDateTimeOffset();
        for (var day = 0; day < 120 && (await FrontPadsAsync(owned)).GetProperty("state").GetString() == "ok"; day++)
        {
            await DayAsync(car, 60);
        }
        var due = await FrontPadsAsync(owned);
        Assert.Equal("due_soon", due.GetProperty("state").GetString());
        Assert.True(due.GetProperty("predictedDate").GetDateTimeOffset() < firstDate.AddDays(-7), $"{due} should be well before {firstDate}");

        // The owner was told, once, with the prediction.
        var owner = await OwnerAsync(owned);
        var told = Assert.Single(await NotificationInbox.ReadAsync(owner), n => n.GetProperty("type").GetString() == "service.due" &&
            n.GetProperty("message").GetString()!.StartsWith("Brake pads (front)", StringComparison.Ordinal));
        Assert.StartsWith("Brake pads (front): maintenance due soon, predicted by", told.GetProperty("message").GetString());

        // A fault turns up as well; then the owner books with a dealer (not chosen as preferred) and writes no reason.
        await car.RaiseFaultAsync("P0301", "engine");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
        var setup = new DealerSetup(server);
        var dealerId = await setup.DealerAsync("Porsche Zentrum Bremsen");
        var (dealer, _) = await setup.StaffAsync(dealerId);
        var (other, _) = await setup.StaffAsync(await setup.DealerAsync("Fremde Werkstatt Bremsen"));
        await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        var slot = setup.Weekday(3);
        var booked = await owner.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/appointments", new { dealerId, slots = new[] { slot } });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        var appointment = await booked.JsonAsync();
        var reason = appointment.GetProperty("reason").GetString()!;
        Assert.Contains("Brake pads (front): due soon", reason);
        Assert.Contains("P0301", reason);

        // The dealer confirms; the owner hears it.
        var id = appointment.GetProperty("id").GetString()!;
        var confirmed = await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/confirm", new { startsAt = slot, durationMinutes = 60 });
        Assert.Equal("confirmed", (await confirmed.JsonAsync()).GetProperty("state").GetString());
        Assert.Contains(await NotificationInbox.ReadAsync(owner), n => n.GetProperty("type").GetString() == "appointment.confirmed");

        // The dealer reads what the car sent; another dealer cannot; the owner sees each read.
        var health = (await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).JsonAsync()).GetProperty("data");
        var pads = health.EnumerateArray().Single(c => c.GetProperty("id").GetString() == "brake_pads_front");
        Assert.Equal(("due_soon", due.GetProperty("predictedDate").GetDateTimeOffset()),
            (pads.GetProperty("state").GetString(), pads.GetProperty("predictedDate").GetDateTimeOffset()));
        var faults = (await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/faults")).JsonAsync()).GetProperty("data");
        Assert.Equal(("P0301", "Cylinder 1 Misfire Detected"), (faults[0].GetProperty("code").GetString(), faults[0].GetProperty("description").GetString()));
        var logs = (await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/logs")).JsonAsync()).GetProperty("data");
        Assert.Equal(car.Odometer, logs.GetProperty("odometerMetres").GetDouble(), 0);
        foreach (var what in (string[])["health", "faults", "logs"])
        {
            await (await other.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/{what}")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        }
        var reads = (await (await owner.GetAsync($"/api/v1/vehicles/{owned.Vin}/dealer-access")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["faults", "health", "logs"], reads.Select(r => r.GetProperty("what").GetString()).Order());
        Assert.All(reads, r => Assert.Equal("Porsche Zentrum Bremsen", r.GetProperty("dealerName").GetString()));

        // The owner erases the account: the car's Smart Service data and the dealer's access go; product observation stays, de-identified.
        var vin = owned.Vin;
        var observed = (await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT id FROM product_observation WHERE vin = @vin", new { vin }), CancellationToken.None)).ToList();
        Assert.True(observed.Count >= 30, observed.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await car.DisposeAsync();
        var erased = await owner.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);
        await (await dealer.GetAsync($"/api/v1/dealer/cars/{vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        foreach (var table in (string[])["service_logs", "service_conditions", "service_faults", "service_health", "service_pending", "product_observation"])
        {
            Assert.Equal(0, await CountAsync($"SELECT COUNT(*) FROM {table} WHERE vin = @vin", new { vin }));
        }
        var kept = (await server.Get<Database>().ReadAsync(c => c.QueryAsync<(string Id, string? Vin, string? Model, long? ModelYear, string Market, string Content)>(
            "SELECT id, vin, model, model_year, market, content FROM product_observation WHERE vin IS NULL AND model = '911' AND model_year = 2024"),
            CancellationToken.None)).Where(r => observed.Contains(r.Id)).ToList();
        Assert.Equal(observed.Count, kept.Count);
        Assert.All(kept, r =>
        {
            Assert.Equal("FR", r.Market);
            Assert.DoesNotContain(vin, r.Content, StringComparison.OrdinalIgnoreCase);
        });
    }
}

public sealed class ConnectCareStoryOnSqlite(SmartServiceSqliteServer server) : ConnectCareStoryTests(server), IClassFixture<SmartServiceSqliteServer>;

public sealed class ConnectCareStoryOnPostgres(SmartServicePostgresServer server) : ConnectCareStoryTests(server), IClassFixture<SmartServicePostgresServer>;
