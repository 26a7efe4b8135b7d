using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Vehicles;

/// <summary>Pairing, status, location, refresh, drivers and privacy, with a car on a real WebSocket, on each engine.</summary>
public abstract class VehicleFlowTests(PitwallServer server)
{
    private Uri Server => server.Client.BaseAddress!;

    /// <summary>Owner starts pairing, the car receives the code, the owner types it in.</summary>
    private async Task PairAsync(TestUser owner, TestCar car)
    {
        var client = server.ClientWith(owner.AccessToken);
        var started = await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin.ToLowerInvariant() });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var pairingId = (await started.JsonAsync()).GetProperty("id").GetString();
        var shown = await car.ReceiveAsync(Envelope.PayloadOneofCase.PairingCode);
        await car.SendAsync(new Envelope { Ack = new Ack { UpToSeq = shown.Seq } });
        var confirmed = await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code = shown.PairingCode.Code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    private async Task<(TestUser Owner, TestCar Car)> PairedCarAsync(PrivacySettings? privacy = null)
    {
        var owner = await server.NewOwnerAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        var car = await TestCar.ConnectAsync(Server, vin, secret, privacy: privacy);
        await PairAsync(owner, car);
        return (owner, car);
    }

    [Fact]
    public async Task Pair_report_then_read_status_and_location()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var at = server.Clock.GetUtcNow();
        var seq = await car.ReportAsync(Trigger.EngineStop,
            TestCar.Number(SignalCatalog.Latitude, 48.8342, at), TestCar.Number(SignalCatalog.Longitude, 9.1523, at),
            TestCar.Number(SignalCatalog.Heading, 270, at), TestCar.Number(SignalCatalog.Odometer, 12_345_000, at),
            TestCar.Flag(SignalCatalog.FrontLeftDoorLocked, true, at), TestCar.Number(SignalCatalog.Range, 310_000, at));
        await car.WaitForAckAsync(seq);

        var client = server.ClientWith(owner.AccessToken);
        var list = await (await client.GetAsync("/api/v1/vehicles")).JsonAsync();
        var mine = Assert.Single(list.EnumerateArray());
        Assert.Equal(car.Vin, mine.GetProperty("vin").GetString());
        Assert.Equal("primary", mine.GetProperty("role").GetString());
        Assert.True(mine.GetProperty("online").GetBoolean());

        var status = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).JsonAsync();
        var odometer = status.GetProperty("signals").GetProperty("Vehicle.TraveledDistance");
        Assert.Equal(12_345_000, odometer.GetProperty("value").GetDouble());
        Assert.Equal("m", odometer.GetProperty("unit").GetString());
        Assert.Equal(at, odometer.GetProperty("recordedAt").GetDateTimeOffset());
        Assert.True(status.GetProperty("signals").GetProperty("Vehicle.Cabin.Door.Row1.DriverSide.IsLocked").GetProperty("value").GetBoolean());
        Assert.Equal("not_reported", status.GetProperty("signals").GetProperty("Vehicle.Speed").GetProperty("unavailable").GetString());

        var location = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal(48.8342, location.GetProperty("latitude").GetDouble());
        Assert.Equal(270, location.GetProperty("heading").GetDouble());

        // A newer report overwrites; nothing of the old value is kept.
        var later = at.AddMinutes(5);
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.DoorOpen, TestCar.Number(SignalCatalog.Odometer, 12_350_000, later)));
        status = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).JsonAsync();
        Assert.Equal(12_350_000, status.GetProperty("signals").GetProperty("Vehicle.TraveledDistance").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Another_accounts_vehicle_reads_as_404_everywhere()
    {
        var (_, car) = await PairedCarAsync();
        await using var _ = car;
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        foreach (var path in new[] { "", "/status", "/location", "/drivers" })
        {
            await (await stranger.GetAsync($"/api/v1/vehicles/{car.Vin}{path}")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        }
        await (await stranger.PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null)).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await stranger.DeleteAsync($"/api/v1/vehicles/{car.Vin}")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Equal(0, (await (await stranger.GetAsync("/api/v1/vehicles")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task A_wrong_pairing_code_does_not_pair_and_five_wrong_codes_use_the_pairing_up()
    {
        var owner = await server.NewOwnerAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        await using var car = await TestCar.ConnectAsync(Server, vin, secret);
        var client = server.ClientWith(owner.AccessToken);
        var pairingId = (await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin })).JsonAsync()).GetProperty("id").GetString();
        var code = (await car.ReceiveAsync(Envelope.PayloadOneofCase.PairingCode)).PairingCode.Code;
        var wrong = code == "000000" ? "000001" : "000000";
        for (var i = 0; i < 5; i++)
        {
            await (await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code = wrong })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_pairing_code");
        }
        await (await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code })).AssertProblemAsync(HttpStatusCode.Gone, "pairing_expired");
        await (await client.GetAsync($"/api/v1/vehicles/{vin}")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin = "NOT-A-VIN" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task A_car_paired_to_someone_else_cannot_be_taken_over()
    {
        var (_, car) = await PairedCarAsync();
        await using var _ = car;
        var intruder = await server.NewOwnerAsync();
        var client = server.ClientWith(intruder.AccessToken);
        var pairingId = (await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin })).JsonAsync()).GetProperty("id").GetString();
        var code = (await car.ReceiveAsync(Envelope.PayloadOneofCase.PairingCode)).PairingCode.Code;
        await (await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code })).AssertProblemAsync(HttpStatusCode.Conflict, "already_paired");
    }

    [Fact]
    public async Task Refresh_answers_with_the_cars_fresh_data()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var refresh = server.ClientWith(owner.AccessToken).PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null);
        var request = await car.ReceiveAsync(Envelope.PayloadOneofCase.DataRequest);
        await car.SendAsync(new Envelope { Ack = new Ack { UpToSeq = request.Seq } });
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope
        {
            Seq = seq,
            StatusReport = new StatusReport
            {
                Trigger = Trigger.OnRequest,
                RequestId = request.DataRequest.RequestId,
                Values = { TestCar.Number(SignalCatalog.StateOfCharge, 81, server.Clock.GetUtcNow()) },
            },
        });
        var response = await refresh;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(81, (await response.JsonAsync()).GetProperty("signals").GetProperty("Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Refresh_of_an_offline_car_answers_vehicle_offline_after_the_timeout()
    {
        var (owner, car) = await PairedCarAsync();
        await car.DisposeAsync(); // the car goes away
        var waiting = server.Clock.NextTimerAsync();
        var refresh = server.ClientWith(owner.AccessToken).PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null);
        await waiting;
        server.Clock.Advance(TimeSpan.FromSeconds(20));
        var response = await refresh;
        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "vehicle_offline");
    }

    [Fact]
    public async Task Private_mode_hides_all_data_and_reports_sent_in_it_are_discarded()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var client = server.ClientWith(owner.AccessToken);
        var at = server.Clock.GetUtcNow();
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.EngineStop, TestCar.Number(SignalCatalog.Latitude, 48.1, at), TestCar.Number(SignalCatalog.Longitude, 9.1, at)));

        var privateMode = new PrivacySettings { PrivateMode = true };
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, StatusReport = new StatusReport { Trigger = Trigger.PrivacyChange, Privacy = privateMode } });
        await car.WaitForAckAsync(seq);
        // Whatever arrives in private mode is acked (so the car does not resend it) but not stored.
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.DoorOpen, TestCar.Number(SignalCatalog.Latitude, 52.5, at.AddMinutes(1))));

        var status = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).JsonAsync();
        Assert.True(status.GetProperty("privateMode").GetBoolean());
        Assert.All(status.GetProperty("signals").EnumerateObject(), s => Assert.Equal("privacy_mode", s.Value.GetProperty("unavailable").GetString()));
        var location = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal("privacy_mode", location.GetProperty("unavailable").GetString());
        await (await client.PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null)).AssertProblemAsync(HttpStatusCode.Conflict, "privacy_mode");

        seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, StatusReport = new StatusReport { Trigger = Trigger.PrivacyChange, Privacy = new PrivacySettings() } });
        await car.WaitForAckAsync(seq);
        location = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal(48.1, location.GetProperty("latitude").GetDouble()); // the private-mode position was never stored
    }

    [Fact]
    public async Task Switching_off_location_services_keeps_position_out_but_status_in()
    {
        var (owner, car) = await PairedCarAsync(new PrivacySettings { LocationServicesDisabled = true });
        await using var _ = car;
        var at = server.Clock.GetUtcNow();
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.EngineStop,
            TestCar.Number(SignalCatalog.Latitude, 48.1, at), TestCar.Number(SignalCatalog.Odometer, 1000, at)));
        var status = await (await server.ClientWith(owner.AccessToken).GetAsync($"/api/v1/vehicles/{car.Vin}/status")).JsonAsync();
        Assert.Equal("service_disabled", status.GetProperty("signals").GetProperty("Vehicle.CurrentLocation.Latitude").GetProperty("unavailable").GetString());
        Assert.Equal(1000, status.GetProperty("signals").GetProperty("Vehicle.TraveledDistance").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Drivers_see_the_car_but_manage_nobody_and_unpairing_ends_all_access()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var driver = await server.NewOwnerAsync();
        var ownerClient = server.ClientWith(owner.AccessToken);
        var driverClient = server.ClientWith(driver.AccessToken);
        var added = await ownerClient.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = driver.Email });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        await (await ownerClient.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = driver.Email })).AssertProblemAsync(HttpStatusCode.Conflict, "already_a_user");
        await (await ownerClient.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = "nobody@example.com" })).AssertProblemAsync(HttpStatusCode.NotFound, "account_not_found");

        var at = server.Clock.GetUtcNow();
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.EngineStop, TestCar.Number(SignalCatalog.Latitude, 48.1, at), TestCar.Number(SignalCatalog.Longitude, 9.1, at)));
        Assert.Equal(HttpStatusCode.OK, (await driverClient.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).StatusCode);
        Assert.Equal("driver", (await (await driverClient.GetAsync($"/api/v1/vehicles/{car.Vin}")).JsonAsync()).GetProperty("role").GetString());
        await (await driverClient.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = owner.Email })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        await (await driverClient.DeleteAsync($"/api/v1/vehicles/{car.Vin}")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        await (await driverClient.GetAsync($"/api/v1/vehicles/{car.Vin}/drivers")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");

        var users = await (await ownerClient.GetAsync($"/api/v1/vehicles/{car.Vin}/drivers")).JsonAsync();
        Assert.Equal(2, users.GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await ownerClient.DeleteAsync($"/api/v1/vehicles/{car.Vin}")).StatusCode);
        await (await driverClient.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await ownerClient.GetAsync($"/api/v1/vehicles/{car.Vin}/location")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        // The next owner starts from nothing: the previous owner's last position is gone.
        var next = await server.NewOwnerAsync();
        await PairAsync(next, car);
        var location = await (await server.ClientWith(next.AccessToken).GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal("not_reported", location.GetProperty("unavailable").GetString());
    }

    [Fact]
    public async Task A_driver_may_leave_a_car()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var driver = await server.NewOwnerAsync();
        await server.ClientWith(owner.AccessToken).PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = driver.Email });
        var driverClient = server.ClientWith(driver.AccessToken);
        var me = (await (await driverClient.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.NoContent, (await driverClient.DeleteAsync($"/api/v1/vehicles/{car.Vin}/drivers/{me}")).StatusCode);
        await (await driverClient.GetAsync($"/api/v1/vehicles/{car.Vin}")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }

    [Fact]
    public async Task A_map_access_key_shows_the_position_until_it_expires_and_nothing_else()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var at = server.Clock.GetUtcNow();
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.EngineStop, TestCar.Number(SignalCatalog.Latitude, 48.2, at), TestCar.Number(SignalCatalog.Longitude, 9.2, at)));
        var created = await server.ClientWith(owner.AccessToken).PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/access-keys", new { purpose = "map_position", validForSeconds = 300 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var url = (await created.JsonAsync()).GetProperty("url").GetString()!;
        var key = (await created.JsonAsync()).GetProperty("key").GetString()!;

        var position = await server.Client.GetAsync(url);
        var body = await position.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, position.StatusCode);
        Assert.Contains("48.2", body);
        Assert.DoesNotContain(car.Vin, body);
        // The key opens nothing but the position.
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.ClientWith(key).GetAsync($"/api/v1/vehicles/{car.Vin}/status")).StatusCode);

        server.Clock.Advance(TimeSpan.FromSeconds(301));
        await (await server.Client.GetAsync(url)).AssertProblemAsync(HttpStatusCode.NotFound, "access_key_invalid");
        var tooLong = await server.ClientWith(owner.AccessToken).PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/access-keys", new { purpose = "map_position", validForSeconds = 7200 });
        await tooLong.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Live_status_changes_reach_the_owner_over_server_sent_events()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        using var client = server.ClientWith(owner.AccessToken);
        using var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal("event: ready", await reader.ReadLineAsync());

        await car.WaitForAckAsync(await car.ReportAsync(Trigger.DoorOpen, TestCar.Flag(SignalCatalog.FrontLeftDoorOpen, true, server.Clock.GetUtcNow())));
        var lines = new List<string>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!lines.Contains("event: vehicle.status"))
        {
            lines.Add((await reader.ReadLineAsync(timeout.Token))!);
        }
        var data = (await reader.ReadLineAsync(timeout.Token))!;
        Assert.StartsWith("data: ", data);
        var payload = JsonDocument.Parse(data["data: ".Length..]).RootElement;
        Assert.Equal(car.Vin, payload.GetProperty("vin").GetString());
        Assert.Contains("Vehicle.Cabin.Door.Row1.DriverSide.IsOpen", payload.GetProperty("signals").EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public async Task A_new_driver_starts_receiving_the_cars_live_events_when_access_is_granted()
    {
        var (owner, car) = await PairedCarAsync();
        await using var _ = car;
        var driver = await server.NewOwnerAsync();
        using var client = server.ClientWith(driver.AccessToken);
        using var response = await client.GetAsync("/api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        async Task UntilAsync(string type)
        {
            while (await reader.ReadLineAsync(timeout.Token) != $"event: {type}")
            {
            }
        }
        await UntilAsync("ready");

        await server.ClientWith(owner.AccessToken).PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/drivers", new { email = driver.Email });
        await UntilAsync("vehicle.access_granted");
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.DoorClose, TestCar.Flag(SignalCatalog.FrontLeftDoorOpen, false, server.Clock.GetUtcNow())));
        await UntilAsync("vehicle.status");
    }
}

public sealed class VehicleFlowOnSqlite(SqliteServer server) : VehicleFlowTests(server), IClassFixture<SqliteServer>;

public sealed class VehicleFlowOnPostgres(PostgresServer server) : VehicleFlowTests(server), IClassFixture<PostgresServer>;
