using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Alarms;

/// <summary>The vehicle alarm (D1) and the valet alarm (D3) end to end with the simulated car, on each engine.</summary>
public abstract class VehicleAndValetAlarmTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, PrivacySettings? privacy = null)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 11, RecordReceivedFrames = true, Privacy = privacy,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private static async Task<JsonElement[]> AlarmsAsync(OwnedVehicle owned) =>
        [.. (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/alarms")).JsonAsync()).EnumerateArray()];

    [Fact]
    public async Task An_alarm_is_pushed_to_the_owner_with_its_reason_and_kept_with_time_and_position()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        await using var car = await ConnectAsync(owned);

        // The car's clock is the system's (SimulatedVehicleOptions.TimeProvider); it stamps the alarm in whole milliseconds.
        var triggering = DateTimeOffset.FromUnixTimeMilliseconds(TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds());
        await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.Glass);
        var triggered = TimeProvider.System.GetUtcNow();
        var pushed = await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "alarm.triggered");
        Assert.Contains("glass was broken", pushed.GetProperty("message").GetString());
        Assert.DoesNotContain(owned.Vin, pushed.GetProperty("message").GetString());

        var alarm = Assert.Single(await AlarmsAsync(owned));
        Assert.Equal("glass", alarm.GetProperty("reason").GetString());
        Assert.Equal(car.Position.Latitude, alarm.GetProperty("position").GetProperty("latitude").GetDouble(), 6);
        Assert.Equal(car.Position.Longitude, alarm.GetProperty("position").GetProperty("longitude").GetDouble(), 6);
        Assert.InRange(alarm.GetProperty("occurredAt").GetDateTimeOffset(), triggering, triggered); // when the car says it went off

        var inbox = (await (await owned.Client.GetAsync("/api/v1/me/notifications")).JsonAsync()).EnumerateArray().ToList();
        Assert.Contains(inbox, n => n.GetProperty("type").GetString() == "alarm.triggered" && n.GetProperty("vin").GetString() == owned.Vin);

        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.GetAsync($"/api/v1/vehicles/{owned.Vin}/alarms")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Empty((await (await stranger.GetAsync("/api/v1/me/notifications")).JsonAsync()).EnumerateArray());
    }

    [Fact]
    public async Task Without_location_services_an_alarm_is_kept_without_position_and_in_private_mode_not_at_all()
    {
        var owned = await server.OwnedVehicleAsync();
        await using (var car = await ConnectAsync(owned, new PrivacySettings { LocationServicesDisabled = true }))
        {
            await car.TriggerAlarmAsync(AlarmEvent.Types.Reason.TiltTow);
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        var alarm = Assert.Single(await AlarmsAsync(owned));
        Assert.Equal("tilt_tow", alarm.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, alarm.GetProperty("position").ValueKind);

        // A car that claims an alarm in private mode (a faulty one: the simulator would not send it) is not listened to.
        await using var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: 1_000_000,
            privacy: new PrivacySettings { PrivateMode = true });
        var seq = raw.NextSeq();
        await raw.SendAsync(new Envelope { Seq = seq, AlarmEvent = new AlarmEvent { Reason = AlarmEvent.Types.Reason.Door } });
        await raw.WaitForAckAsync(seq);
        Assert.Single(await AlarmsAsync(owned));
    }

    [Fact]
    public async Task The_valet_alarm_reports_speed_and_radius_once_each_then_its_end()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        await using var car = await ConnectAsync(owned);
        var parkedAt = car.Position;

        var started = await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/valet", new { });
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var valet = await started.JsonAsync();
        Assert.Equal((50.0, 1000.0), (valet.GetProperty("maxSpeedKmh").GetDouble(), valet.GetProperty("radiusM").GetDouble()));
        await car.WaitForFrameAsync(f => f.Configuration?.Valet?.Active == true).WaitAsync(Patience);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        valet = await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/valet")).JsonAsync();
        Assert.Equal("active", valet.GetProperty("state").GetString());
        Assert.Equal(parkedAt.Latitude, valet.GetProperty("parkedAt").GetProperty("latitude").GetDouble(), 6);

        await car.DriveAsync(TimeSpan.FromSeconds(20), speed: 20); // 72 km/h, a few hundred metres
        var speeding = await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "valet.speed_exceeded");
        Assert.Contains("km/h", speeding.GetProperty("message").GetString());
        await car.DriveAsync(TimeSpan.FromSeconds(20), speed: 22);
        Assert.True(car.Position.DistanceTo(parkedAt) < 1000);
        await car.DriveAsync(TimeSpan.FromMinutes(10), speed: 11);
        Assert.True(car.Valet.RadiusReported, $"drove {car.Position.DistanceTo(parkedAt):0} m away");
        await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "valet.radius_exceeded");

        Assert.Equal(HttpStatusCode.OK, (await owned.Client.DeleteAsync($"/api/v1/vehicles/{owned.Vin}/valet")).StatusCode);
        await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "valet.ended");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Equal("ended", (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/valet")).JsonAsync()).GetProperty("state").GetString());
        var kinds = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/valet/events")).JsonAsync()).EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).Reverse().ToList();
        Assert.Equal(["started", "speed_exceeded", "radius_exceeded", "ended"], kinds);
        await (await owned.Client.DeleteAsync($"/api/v1/vehicles/{owned.Vin}/valet")).AssertProblemAsync(HttpStatusCode.Conflict, "valet_not_active");

        // D3: push and SMS by default for the limits; the account has no phone number, so the SMS is skipped, not lost.
        var inbox = (await (await owned.Client.GetAsync("/api/v1/me/notifications")).JsonAsync()).EnumerateArray().ToList();
        var speedNotice = inbox.Single(n => n.GetProperty("type").GetString() == "valet.speed_exceeded");
        Assert.Contains(speedNotice.GetProperty("deliveries").EnumerateArray(), d => d.GetProperty("channel").GetString() == "sms");
    }

    [Fact]
    public async Task The_valet_alarm_is_refused_with_location_services_off_and_checks_its_limits()
    {
        var owned = await server.OwnedVehicleAsync();
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/valet", new { maxSpeedKmh = 5, radiusM = 60_000 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await using var car = await ConnectAsync(owned, new PrivacySettings { LocationServicesDisabled = true });
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/valet", new { }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/valet", new { }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }
    [Fact]
    public async Task With_services_with_location_off_no_valet_event_is_stored()
    {
        var owned = await server.OwnedVehicleAsync();
        string valetId;
        await using (var car = await ConnectAsync(owned))
        {
            valetId = (await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/valet", new { })).JsonAsync()).GetProperty("id").GetString()!;
            await car.WaitForFrameAsync(f => f.Configuration?.Valet?.Active == true).WaitAsync(Patience);
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        // A car that reports anyway, with the group switched off (the simulator itself would keep quiet).
        await using var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: 1_000_000,
            privacy: new PrivacySettings { LocationServicesDisabled = true });
        var seq = raw.NextSeq();
        await raw.SendAsync(new Envelope { Seq = seq, ValetEvent = new ValetEvent { Kind = ValetEvent.Types.Kind.SpeedExceeded, ValetId = valetId, SpeedMps = 30 } });
        await raw.WaitForAckAsync(seq);
        var kinds = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/valet/events")).JsonAsync()).EnumerateArray()
            .Select(e => e.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["started"], kinds);
    }
}

public sealed class VehicleAndValetAlarmOnSqlite(SqliteServer server) : VehicleAndValetAlarmTests(server), IClassFixture<SqliteServer>;

public sealed class VehicleAndValetAlarmOnPostgres(PostgresServer server) : VehicleAndValetAlarmTests(server), IClassFixture<PostgresServer>;
