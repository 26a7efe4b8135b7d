using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.LocationAlarm;

/// <summary>The location alarm (D2) end to end with the simulated car and a bare test car, on each engine.</summary>
public abstract class LocationAlarmTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly GeoPosition Centre = new(48.7758, 9.1829);
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private static string Path(string vin, string rest = "") => $"/api/v1/vehicles/{vin}/geofences{rest}";

    private static object Area(string name = "Office", double radius = 200, string notify = "both", GeoPosition? at = null, object? activeHours = null) =>
        new { name, latitude = (at ?? Centre).Latitude, longitude = (at ?? Centre).Longitude, radiusMetres = radius, notify, activeHours };

    private static async Task<JsonElement> CreateAsync(HttpClient client, string vin, object area)
    {
        var response = await client.PostAsJsonAsync(Path(vin), area);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.EndsWith($"/geofences/{(await response.JsonAsync()).GetProperty("id").GetString()}", response.Headers.Location!.ToString());
        return await response.JsonAsync();
    }

    private static async Task<JsonElement> EventsAsync(HttpClient client, string vin, string query = "") =>
        (await (await client.GetAsync(Path(vin, "/events" + query))).JsonAsync()).GetProperty("events");

    private Task<long> StoredEventsAsync(string vin) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM geofence_events WHERE vin = @vin", new { vin }), CancellationToken.None);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, GeoPosition start, double jitter = 0, PrivacySettings? privacy = null)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 17, RecordReceivedFrames = true, StartPosition = start,
            GpsJitterMetres = jitter, Privacy = privacy,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    /// <summary>Lets stepped time pass where the car stands (one fix a second).</summary>
    private static void Stand(SimulatedVehicle car, TimeSpan duration, Action<GpsFix>? each = null)
    {
        for (var left = duration; left > TimeSpan.Zero; left -= Second)
        {
            car.Step(Second);
            if (car.LastFix is { } fix)
            {
                each?.Invoke(fix);
            }
        }
    }

    /// <summary>The car acks a configuration frame on its own; the server applies acks in a background batch and then says so
    /// live (<c>vehicle.frames_applied</c>). Listening starts before the first look, so no confirmation slips through.</summary>
    private static async Task<JsonElement> ConfirmedAsync(HttpClient client, string vin, string id)
    {
        await using var events = await EventStream.OpenAsync(client);
        while (true)
        {
            var area = await (await client.GetAsync(Path(vin, $"/{id}"))).JsonAsync();
            if (area.GetProperty("confirmed").GetBoolean())
            {
                return area;
            }
            await events.NextAsync("vehicle.frames_applied", e => e.GetProperty("vin").GetString() == vin, Patience);
        }
    }

    [Fact]
    public async Task An_area_reaches_the_car_is_confirmed_and_driving_in_and_out_is_stored_and_notified()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);

        // Made while the car is offline: it waits in the outbox and is not confirmed yet.
        var created = await CreateAsync(owned.Client, owned.Vin, Area("Office", radius: 300));
        var id = created.GetProperty("id").GetString()!;
        Assert.False(created.GetProperty("confirmed").GetBoolean());
        Assert.Equal(350, created.GetProperty("exitRadiusMetres").GetDouble()); // 300 + max(50, 30)
        Assert.False((await (await owned.Client.GetAsync(Path(owned.Vin, $"/{id}"))).JsonAsync()).GetProperty("confirmed").GetBoolean());
        await using var car = await ConnectAsync(owned, Centre.Offset(2000, 0));

        var frame = await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
        var sent = Assert.Single(frame.Envelope.Configuration.Geofences.Areas);
        Assert.Equal((id, 300.0, 350.0, 30u, 100.0), (sent.Id, sent.RadiusM, sent.ExitRadiusM, sent.DwellSeconds, sent.MaxAccuracyM));
        Assert.Equal([id], car.Geofences);
        Assert.False(car.IsInsideGeofence(id));
        await ConfirmedAsync(owned.Client, owned.Vin, id);

        // Drive in: the crossing counts once the car has been inside for the dwell time.
        car.MoveTo(Centre.Offset(100, 0));
        Stand(car, TimeSpan.FromSeconds(29));
        Assert.False(car.IsInsideGeofence(id));
        Stand(car, TimeSpan.FromSeconds(2));
        Assert.True(car.IsInsideGeofence(id));
        var entered = await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "geofence.entered");
        Assert.Equal("Your car entered the area \"Office\".", entered.GetProperty("message").GetString());
        Assert.Equal(owned.Vin, entered.GetProperty("vin").GetString());
        var live = await events.NextAsync("vehicle.geofence", e => e.GetProperty("transition").GetString() == "entered");
        Assert.Equal(id, live.GetProperty("geofenceId").GetString());

        // Out, through the reconnect of a car that lost coverage: the event waits in the car and is sent afterwards.
        car.Abort();
        car.MoveTo(Centre.Offset(1500, 0));
        Stand(car, TimeSpan.FromSeconds(31));
        Assert.False(car.IsInsideGeofence(id));
        await car.ConnectAsync().WaitAsync(Patience);
        var exited = await events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == "geofence.exited");
        Assert.Equal("Your car left the area \"Office\".", exited.GetProperty("message").GetString());
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var history = await EventsAsync(owned.Client, owned.Vin);
        Assert.Equal(["exited", "entered"], history.EnumerateArray().Select(e => e.GetProperty("transition").GetString()));
        var first = history[1];
        Assert.Equal((id, "Office"), (first.GetProperty("geofenceId").GetString(), first.GetProperty("name").GetString()));
        Assert.InRange(GeofenceDistance(first), 90, 110);
        Assert.InRange(first.GetProperty("accuracyMetres").GetDouble(), 0.1, 100);
        Assert.InRange(GeofenceDistance(history[0]), 1400, 1600);
        Assert.Equal(2, car.GeofenceEventsSent);
    }

    private static double GeofenceDistance(JsonElement e) =>
        Centre.DistanceTo(new GeoPosition(e.GetProperty("latitude").GetDouble(), e.GetProperty("longitude").GetDouble()));

    [Fact]
    public async Task A_car_has_at_most_four_areas_and_the_car_always_gets_the_full_set()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, Centre);
        var ids = new List<string>();
        for (var i = 1; i <= 4; i++)
        {
            ids.Add((await CreateAsync(owned.Client, owned.Vin, Area($"Area {i}", at: Centre.Offset(i * 1000, 0)))).GetProperty("id").GetString()!);
        }
        await (await owned.Client.PostAsJsonAsync(Path(owned.Vin), Area("Fifth"))).AssertProblemAsync(HttpStatusCode.Conflict, "geofence_limit");
        var four = await car.WaitForFrameAsync(f => f.Configuration?.Geofences?.Areas.Count == 4).WaitAsync(Patience);
        Assert.Equal(ids.Order(), four.Envelope.Configuration.Geofences.Areas.Select(a => a.Id).Order());
        Assert.Equal(4, (await (await owned.Client.GetAsync(Path(owned.Vin))).JsonAsync()).GetArrayLength());

        Assert.Equal(HttpStatusCode.NoContent, (await owned.Client.DeleteAsync(Path(owned.Vin, $"/{ids[1]}"))).StatusCode);
        var three = await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
        Assert.DoesNotContain(ids[1], three.Envelope.Configuration.Geofences.Areas.Select(a => a.Id));
        Assert.Equal(3, three.Envelope.Configuration.Geofences.Areas.Count);
        await (await owned.Client.DeleteAsync(Path(owned.Vin, $"/{ids[1]}"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await CreateAsync(owned.Client, owned.Vin, Area("Fourth again"));
        await (await owned.Client.PostAsJsonAsync(Path(owned.Vin), Area("Fifth"))).AssertProblemAsync(HttpStatusCode.Conflict, "geofence_limit");
    }

    [Fact]
    public async Task GPS_jitter_around_the_boundary_raises_no_false_alarm_and_real_crossings_still_count()
    {
        var owned = await server.OwnedVehicleAsync();
        // Radius 200 m, exit radius 250 m; the car stands between the two, its fixes scattered by up to 40 m.
        var band = Centre.Offset(225, 0);
        await using var car = await ConnectAsync(owned, band, jitter: 40);
        var id = (await CreateAsync(owned.Client, owned.Vin, Area("Home", radius: 200))).GetProperty("id").GetString()!;
        await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
        Assert.False(car.IsInsideGeofence(id));

        var fixesInside = 0;
        Stand(car, TimeSpan.FromMinutes(10), fix => fixesInside += Centre.DistanceTo(fix.Position) <= 200 ? 1 : 0);
        Assert.True(fixesInside > 10, $"the jitter should carry some fixes inside the radius ({fixesInside})");
        Assert.Equal(0, car.GeofenceEventsSent);

        car.MoveTo(Centre);
        Stand(car, TimeSpan.FromSeconds(40));
        Assert.Equal(1, car.GeofenceEventsSent); // entered

        // Parked inside near the edge, then between the radii: fixes leave the radius, sometimes the exit radius, and
        // poor fixes land far off; none of it is an exit.
        var fixesBeyondExit = 0;
        car.MoveTo(Centre.Offset(180, 0));
        Stand(car, TimeSpan.FromMinutes(10));
        car.MoveTo(band);
        Stand(car, TimeSpan.FromMinutes(10), fix => fixesBeyondExit += Centre.DistanceTo(fix.Position) > 250 ? 1 : 0);
        Assert.True(fixesBeyondExit > 10, $"some fixes should lie beyond the exit radius ({fixesBeyondExit})");
        Assert.True(car.FixesIgnored > 10, $"poor fixes should have been ignored ({car.FixesIgnored})");
        Assert.Equal(1, car.GeofenceEventsSent);
        Assert.True(car.IsInsideGeofence(id));

        car.MoveTo(Centre.Offset(1000, 0));
        Stand(car, TimeSpan.FromSeconds(40));
        Assert.Equal(2, car.GeofenceEventsSent); // exited
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var history = await EventsAsync(owned.Client, owned.Vin);
        Assert.Equal(["exited", "entered"], history.EnumerateArray().Select(e => e.GetProperty("transition").GetString()));
    }

    [Fact]
    public async Task With_services_with_location_switched_off_no_geofence_event_is_stored()
    {
        var owned = await server.OwnedVehicleAsync();
        var id = (await CreateAsync(owned.Client, owned.Vin, Area("School"))).GetProperty("id").GetString()!;

        // The well-behaved car keeps quiet when its switches say so …
        await using (var car = await ConnectAsync(owned, Centre.Offset(3000, 0)))
        {
            await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
            await car.SetPrivacyAsync(new PrivacySettings { LocationServicesDisabled = true });
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
            await (await owned.Client.PostAsJsonAsync(Path(owned.Vin), Area("Another"))).AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
            car.MoveTo(Centre);
            Stand(car, TimeSpan.FromSeconds(40));
            Assert.True(car.IsInsideGeofence(id));
            Assert.Equal(0, car.GeofenceEventsSent);
            await car.SetPrivacyAsync(new PrivacySettings { PrivateMode = true });
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
            await (await owned.Client.PostAsJsonAsync(Path(owned.Vin), Area("Another"))).AssertProblemAsync(HttpStatusCode.Conflict, "privacy_mode");
        }

        // … and the server discards what a car sends anyway.
        await using var testCar = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: 1L << 60);
        foreach (var privacy in new[]
                 {
                     new PrivacySettings { LocationServicesDisabled = true },
                     new PrivacySettings { DisabledServices = { ServiceIds.LocationAlarm } },
                     new PrivacySettings { PrivateMode = true },
                 })
        {
            await testCar.WaitForAckAsync(await PrivacyChangeAsync(testCar, privacy));
            await testCar.WaitForAckAsync(await SendEventAsync(testCar, id, GeofenceEvent.Types.Transition.Entered, Centre, 10));
        }
        Assert.Equal(0, await StoredEventsAsync(owned.Vin));
        await testCar.WaitForAckAsync(await PrivacyChangeAsync(testCar, new PrivacySettings()));
        await testCar.WaitForAckAsync(await SendEventAsync(testCar, id, GeofenceEvent.Types.Transition.Entered, Centre, 10));
        Assert.Equal(1, await StoredEventsAsync(owned.Vin));
    }

    private static async Task<ulong> PrivacyChangeAsync(TestCar car, PrivacySettings privacy)
    {
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, StatusReport = new StatusReport { Trigger = Trigger.PrivacyChange, Privacy = privacy } });
        return seq;
    }

    private async Task<ulong> SendEventAsync(TestCar car, string geofenceId, GeofenceEvent.Types.Transition transition, GeoPosition at, double accuracy)
    {
        var seq = car.NextSeq();
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        await car.SendAsync(new Envelope
        {
            Seq = seq,
            GeofenceEvent = new GeofenceEvent
            {
                GeofenceId = geofenceId, Transition = transition, OccurredAtMs = now,
                Position = new Position { Latitude = at.Latitude, Longitude = at.Longitude, AccuracyM = accuracy, RecordedAtMs = now },
            },
        });
        return seq;
    }

    [Fact]
    public async Task The_server_drops_events_a_faulty_car_should_not_have_sent_and_notifies_by_the_areas_settings()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        var office = (await CreateAsync(owned.Client, owned.Vin, Area("Office", radius: 500))).GetProperty("id").GetString()!;
        var now = server.Clock.GetUtcNow();
        var notNow = new
        {
            days = new[] { "mon", "tue", "wed", "thu", "fri", "sat", "sun" }, timeZone = "Europe/Berlin",
            from = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).AddHours(2).ToString("HH:mm"),
            to = TimeZoneInfo.ConvertTime(now, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).AddHours(3).ToString("HH:mm"),
        };
        var quiet = (await CreateAsync(owned.Client, owned.Vin, Area("Quiet", radius: 500, at: Centre.Offset(5000, 0), activeHours: notNow)))
            .GetProperty("id").GetString()!;
        var enterOnly = (await CreateAsync(owned.Client, owned.Vin, Area("Enter only", radius: 500, notify: "enter", at: Centre.Offset(-5000, 0))))
            .GetProperty("id").GetString()!;
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret);

        async Task SendAsync(string id, GeofenceEvent.Types.Transition t, GeoPosition at, double accuracy = 10) =>
            await car.WaitForAckAsync(await SendEventAsync(car, id, t, at, accuracy));
        const GeofenceEvent.Types.Transition In = GeofenceEvent.Types.Transition.Entered, Out = GeofenceEvent.Types.Transition.Exited;
        await SendAsync(office, In, Centre, accuracy: 150);                 // poor fix
        await SendAsync(office, In, Centre, accuracy: 0);                   // unknown accuracy
        await SendAsync(office, In, Centre.Offset(600, 0));                 // "entered" beyond the exit radius (550 m)
        await SendAsync(office, Out, Centre.Offset(450, 0));                // "exited" inside the radius
        await SendAsync("no-such-area", In, Centre);
        await SendAsync(office, GeofenceEvent.Types.Transition.Unspecified, Centre);
        Assert.Equal(0, await StoredEventsAsync(owned.Vin));

        await SendAsync(quiet, In, Centre.Offset(5000, 0));                 // stored, outside its active hours: no notification
        await SendAsync(enterOnly, Out, Centre.Offset(-5600, 0));           // stored, exits do not notify
        await SendAsync(office, In, Centre.Offset(520, 0));                 // between the radii: a plausible entry
        var notification = await events.NextAsync("vehicle.notification", _ => true);
        Assert.Equal(("geofence.entered", "Your car entered the area \"Office\"."),
            (notification.GetProperty("type").GetString(), notification.GetProperty("message").GetString()));
        Assert.Equal(3, await StoredEventsAsync(owned.Vin));

        // Paging, newest first.
        var page = await (await owned.Client.GetAsync(Path(owned.Vin, "/events?limit=2"))).JsonAsync();
        Assert.Equal(["Office", "Enter only"], page.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        var next = page.GetProperty("nextBefore").GetString();
        var rest = await (await owned.Client.GetAsync(Path(owned.Vin, $"/events?limit=2&before={next}"))).JsonAsync();
        Assert.Equal(["Quiet"], rest.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("name").GetString()));
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextBefore").ValueKind);
    }

    [Fact]
    public async Task The_history_is_kept_twelve_months_and_not_a_second_longer()
    {
        var owned = await server.OwnedVehicleAsync();
        var id = (await CreateAsync(owned.Client, owned.Vin, Area())).GetProperty("id").GetString()!;
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret))
        {
            await car.WaitForAckAsync(await SendEventAsync(car, id, GeofenceEvent.Types.Transition.Entered, Centre, 8));
        }
        Assert.Equal(1, await StoredEventsAsync(owned.Vin));
        server.Clock.Advance(TimeSpan.FromDays(365) - Second);
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(1, await StoredEventsAsync(owned.Vin));
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        var removed = await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.True(removed.GetValueOrDefault("geofence_events") >= 1);
        Assert.Equal(0, await StoredEventsAsync(owned.Vin));
        Assert.Equal(1, await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM geofences WHERE vin = @vin",
            new { vin = owned.Vin }), CancellationToken.None)); // the area itself stays
    }

    [Fact]
    public async Task Another_accounts_car_reads_as_not_found_drivers_read_and_only_the_owner_changes()
    {
        var owned = await server.OwnedVehicleAsync();
        var id = (await CreateAsync(owned.Client, owned.Vin, Area())).GetProperty("id").GetString()!;
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        foreach (var response in new[]
                 {
                     await stranger.GetAsync(Path(owned.Vin)), await stranger.GetAsync(Path(owned.Vin, $"/{id}")),
                     await stranger.GetAsync(Path(owned.Vin, "/events")), await stranger.PostAsJsonAsync(Path(owned.Vin), Area()),
                     await stranger.PutAsJsonAsync(Path(owned.Vin, $"/{id}"), Area()), await stranger.DeleteAsync(Path(owned.Vin, $"/{id}")),
                 })
        {
            await response.AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        }

        var driver = await server.NewOwnerAsync();
        Assert.Equal(HttpStatusCode.Created, (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/drivers", new { email = driver.Email })).StatusCode);
        var driverClient = server.ClientWith(driver.AccessToken);
        Assert.Equal(id, (await (await driverClient.GetAsync(Path(owned.Vin))).JsonAsync())[0].GetProperty("id").GetString());
        Assert.Equal(0, (await EventsAsync(driverClient, owned.Vin)).GetArrayLength());
        await (await driverClient.PostAsJsonAsync(Path(owned.Vin), Area())).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        await (await driverClient.DeleteAsync(Path(owned.Vin, $"/{id}"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        await (await owned.Client.GetAsync(Path(owned.Vin, "/nope"))).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        // A car whose packages do not include the location alarm (an older model with only the included packages).
        var older = (await server.OwnedVehicleAsync("718", 2018, owned.Owner)).Vin;
        await (await owned.Client.GetAsync(Path(older))).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
        await (await owned.Client.PostAsJsonAsync(Path(older), Area())).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
    }

    [Fact]
    public async Task Invalid_areas_are_refused_field_by_field_and_changes_reach_the_car_only_when_they_matter_to_it()
    {
        var owned = await server.OwnedVehicleAsync();
        async Task<JsonElement> InvalidAsync(object body) =>
            (await (await owned.Client.PostAsJsonAsync(Path(owned.Vin), body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed"))
            .GetProperty("errors");

        var errors = await InvalidAsync(new { name = "", latitude = 91, longitude = -181, radiusMetres = 99, notify = "sometimes" });
        Assert.Equal(["latitude", "longitude", "name", "notify", "radiusMetres"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.True((await InvalidAsync(Area(name: new string('x', 41)))).TryGetProperty("name", out _));
        Assert.True((await InvalidAsync(Area(radius: 50_001))).TryGetProperty("radiusMetres", out _));
        Assert.True((await InvalidAsync(new { name = "No centre", radiusMetres = 500 })).TryGetProperty("latitude", out _));
        var hours = await InvalidAsync(Area(activeHours: new { days = new[] { "mon", "funday" }, from = "25:00", to = "7:00", timeZone = "Mars/Olympus_Mons" }));
        Assert.Equal(["activeHours.days", "activeHours.from", "activeHours.timeZone", "activeHours.to"], hours.EnumerateObject().Select(p => p.Name).Order());

        await using var car = await ConnectAsync(owned, Centre.Offset(5000, 0));
        var created = await CreateAsync(owned.Client, owned.Vin,
            Area("Gym", radius: 1000, notify: "enter", activeHours: new { days = new[] { "sat", "mon" }, from = "22:00", to = "06:00", timeZone = "Europe/Paris" }));
        var id = created.GetProperty("id").GetString()!;
        Assert.Equal(["mon", "sat"], created.GetProperty("activeHours").GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(1100, created.GetProperty("exitRadiusMetres").GetDouble());
        await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
        await ConfirmedAsync(owned.Client, owned.Vin, id);

        // Name, notification and hours are the platform's: the car's copy stays confirmed.
        var renamed = await (await owned.Client.PatchAsJsonAsync(Path(owned.Vin, $"/{id}"), new { name = "Climbing gym", activeHours = (object?)null })).JsonAsync();
        Assert.Equal(("Climbing gym", "enter", JsonValueKind.Null, true),
            (renamed.GetProperty("name").GetString(), renamed.GetProperty("notify").GetString(), renamed.GetProperty("activeHours").ValueKind,
             renamed.GetProperty("confirmed").GetBoolean()));
        await (await owned.Client.PatchAsJsonAsync(Path(owned.Vin, $"/{id}"), new { radiusMetres = 20 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        // A new radius goes to the car (offline now) and waits for its confirmation.
        await car.DisconnectAsync();
        var moved = await (await owned.Client.PutAsJsonAsync(Path(owned.Vin, $"/{id}"), Area("Climbing gym", radius: 2000))).JsonAsync();
        Assert.Equal((2000.0, 2200.0, false, "both"), (moved.GetProperty("radiusMetres").GetDouble(), moved.GetProperty("exitRadiusMetres").GetDouble(),
            moved.GetProperty("confirmed").GetBoolean(), moved.GetProperty("notify").GetString()));
        await car.ConnectAsync().WaitAsync(Patience);
        var frame = await car.WaitForFrameAsync(f => f.Configuration?.Geofences is not null).WaitAsync(Patience);
        Assert.Equal(2000, Assert.Single(frame.Envelope.Configuration.Geofences.Areas).RadiusM);
        await ConfirmedAsync(owned.Client, owned.Vin, id);
    }

    [Fact]
    public async Task A_new_owner_starts_without_the_areas_and_history_and_the_car_forgets_them()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, Centre.Offset(3000, 0));
        var id = (await CreateAsync(owned.Client, owned.Vin, Area())).GetProperty("id").GetString()!;
        await car.WaitForFrameAsync(f => f.Configuration?.Geofences?.Areas.Count == 1).WaitAsync(Patience);
        car.MoveTo(Centre);
        Stand(car, TimeSpan.FromSeconds(31));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Equal(1, await StoredEventsAsync(owned.Vin));

        await server.Get<PairingService>().UnpairAsync(owned.Vin, CancellationToken.None);
        await car.WaitForFrameAsync(f => f.Configuration?.Geofences?.Areas.Count == 0).WaitAsync(Patience);
        Assert.Empty(car.Geofences);
        Assert.Null(car.IsInsideGeofence(id));
        Assert.Equal(0, await StoredEventsAsync(owned.Vin));
        Assert.Equal(0, await server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM geofences WHERE vin = @vin",
            new { vin = owned.Vin }), CancellationToken.None));
    }
}

public sealed class LocationAlarmOnSqlite(SqliteServer server) : LocationAlarmTests(server), IClassFixture<SqliteServer>;

public sealed class LocationAlarmOnPostgres(PostgresServer server) : LocationAlarmTests(server), IClassFixture<PostgresServer>;
