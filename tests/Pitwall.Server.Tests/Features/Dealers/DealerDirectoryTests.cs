using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>The dealer directory, the preferred dealer, navigation to it and requests from the car (F1), on each engine.</summary>
public abstract class DealerDirectoryTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly DealerSetup _setup = new(server);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5, RecordReceivedFrames = true });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    [Fact]
    public async Task The_owner_finds_dealers_nearest_first_chooses_one_and_sends_it_to_the_car_as_a_destination()
    {
        var owned = await server.OwnedVehicleAsync();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var near = await _setup.DealerAsync($"Nah {tag}", 62.001, 20.001);
        var nearer = await _setup.DealerAsync($"Am nächsten {tag}", 62.0001, 20.0001);
        await _setup.DealerAsync($"Fern {tag}", 63.0, 21.0);

        var found = (await (await owned.Client.GetAsync("/api/v1/dealers?latitude=62&longitude=20&radiusKm=10")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal([nearer, near], found.Select(d => d.GetProperty("id").GetString()));
        Assert.InRange(found[0].GetProperty("distanceM").GetDouble(), 10, 20);
        var byName = (await (await owned.Client.GetAsync($"/api/v1/dealers?q=fern%20{tag}")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal($"Fern {tag}", Assert.Single(byName).GetProperty("name").GetString());
        await (await owned.Client.GetAsync("/api/v1/dealers?latitude=62")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        await using var car = await ConnectAsync(owned);
        await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer/navigation", new { })).AssertProblemAsync(HttpStatusCode.Conflict, "no_preferred_dealer");
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId = "nope" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var chosen = await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId = nearer })).JsonAsync();
        Assert.Equal(nearer, chosen.GetProperty("dealer").GetProperty("id").GetString());
        Assert.Equal(nearer, (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/dealer")).JsonAsync()).GetProperty("dealer").GetProperty("id").GetString());

        var sent = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer/navigation", new { });
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        var destinationId = (await sent.JsonAsync()).GetProperty("destinationId").GetString();
        await car.WaitForFrameAsync(e => e.Destination?.DestinationId == destinationId).WaitAsync(Patience);
        var destination = Assert.Single(car.Destinations);
        Assert.Equal($"Am nächsten {tag}", destination.Name);
        Assert.Equal("dealer", destination.Kind);
        Assert.Equal(62.0001, destination.Position.Latitude, 6);
        Assert.Equal("Teststraße 1, 70173 Stuttgart, DE", destination.Address);

        // A driver may not choose the dealer; a stranger's request reads as no such car.
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId = near })).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }

    [Fact]
    public async Task A_request_from_the_car_goes_to_the_preferred_dealer_once_with_the_reason_prefilled()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Autohaus Fahrzeuganfrage");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId });
        await using var car = await ConnectAsync(owned);

        var slot = _setup.Weekday(5, 11);
        await car.RequestAppointmentAsync("car-request-1", [slot]);
        await car.RequestAppointmentAsync("car-request-1", [slot]); // the driver pressed twice: one request
        await car.RequestAppointmentAsync("car-request-2", [server.Clock.GetUtcNow().AddDays(-1)]); // refused by the rules: nothing filed
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var appointments = (await (await dealer.GetAsync("/api/v1/dealer/appointments")).JsonAsync()).EnumerateArray().ToList();
        var filed = Assert.Single(appointments);
        Assert.Equal("car", filed.GetProperty("channel").GetString());
        Assert.Equal(owned.Vin, filed.GetProperty("vin").GetString());
        Assert.Equal(slot, Assert.Single(filed.GetProperty("requestedSlots").EnumerateArray()).GetDateTimeOffset());
        Assert.False(string.IsNullOrWhiteSpace(filed.GetProperty("reason").GetString()));
        Assert.Contains(await DealerSetup.InboxAsync(dealer), n => n.GetProperty("type").GetString() == "appointment.requested");
        Assert.Contains(await DealerSetup.InboxAsync(owned.Client), n => n.GetProperty("type").GetString() == "appointment.requested");
        Assert.Single((await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/appointments")).JsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task The_car_shows_each_answer_to_its_request_and_gets_the_dealers_decline_after_it_reconnects()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Autohaus Anzeige");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId });
        await using var car = await ConnectAsync(owned);
        await car.RequestAppointmentAsync("car-request-7", [_setup.Weekday(4, 9)]);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var id = Assert.Single((await (await dealer.GetAsync("/api/v1/dealer/appointments")).JsonAsync()).EnumerateArray()).GetProperty("id").GetString()!;

        // The dealer proposes another time: the car shows it, matched to its own request.
        var proposed = _setup.Weekday(6, 16);
        (await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/propose", new { startsAt = proposed, note = "Bring the spare key" })).EnsureSuccessStatusCode();
        var status = (await car.WaitForFrameAsync(e => e.AppointmentStatus?.AppointmentId == id).WaitAsync(Patience)).Envelope.AppointmentStatus;
        Assert.Equal((AppointmentStatus.Types.State.Proposed, "car-request-7", "Autohaus Anzeige", dealerId), (status.State, status.RequestId, status.DealerName, status.DealerId));
        Assert.Equal((proposed.ToUnixTimeMilliseconds(), 60u, "Bring the spare key"), (status.StartsAtMs, status.DurationMinutes, status.DealerNote));

        // The owner accepts in the app: the car shows it confirmed.
        (await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/accept", null)).EnsureSuccessStatusCode();
        await car.WaitForFrameAsync(e => e.AppointmentStatus?.State == AppointmentStatus.Types.State.Confirmed).WaitAsync(Patience);
        Assert.Equal(AppointmentStatus.Types.State.Confirmed, car.Appointments[id].State);

        // A new request from the app, declined while the car is away: it shows the answer once it is back.
        var booked = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/appointments", new { slots = new[] { _setup.Weekday(8, 10) } });
        var second = (await booked.JsonAsync()).GetProperty("id").GetString()!;
        await car.DisconnectAsync();
        (await dealer.PostAsync($"/api/v1/dealer/appointments/{second}/decline", null)).EnsureSuccessStatusCode();
        await car.ConnectAsync().WaitAsync(Patience);
        var declined = (await car.WaitForFrameAsync(e => e.AppointmentStatus?.AppointmentId == second).WaitAsync(Patience)).Envelope.AppointmentStatus;
        Assert.Equal((AppointmentStatus.Types.State.Declined, "", 0L), (declined.State, declined.RequestId, declined.StartsAtMs));
        Assert.Equal(AppointmentStatus.Types.State.Declined, car.Appointments[second].State);
        Assert.Equal(AppointmentStatus.Types.State.Confirmed, car.Appointments[id].State);
    }
}

public sealed class DealerDirectoryOnSqlite(SqliteServer server) : DealerDirectoryTests(server), IClassFixture<SqliteServer>;

public sealed class DealerDirectoryOnPostgres(PostgresServer server) : DealerDirectoryTests(server), IClassFixture<PostgresServer>;
