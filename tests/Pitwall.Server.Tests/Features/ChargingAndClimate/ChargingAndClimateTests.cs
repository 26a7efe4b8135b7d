using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.ChargingAndClimate;

/// <summary>Remote commands of every type, E-Control and climate end to end with the simulated car, on each engine.</summary>
public abstract class ChargingAndClimateTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, double level = 60, bool realisticTimes = false, TimeProvider? clock = null,
        PrivacySettings? privacy = null, Powertrain powertrain = Powertrain.Electric)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5, RecordReceivedFrames = true, StartLevel = level,
            RealisticCommandTimes = realisticTimes, TimeProvider = clock ?? TimeProvider.System, Privacy = privacy, Powertrain = powertrain,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private static async Task<string> SendAsync(OwnedVehicle owned, string type, object? parameters = null)
    {
        var response = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands", new { type, parameters });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    /// <summary>Sends a command, lets the car do it, and returns the command as the app then reads it.</summary>
    private static async Task<JsonElement> RunAsync(OwnedVehicle owned, SimulatedVehicle car, string type, object? parameters = null)
    {
        var id = await SendAsync(owned, type, parameters);
        await car.WaitForFrameAsync(f => f.Command?.CommandId == id).WaitAsync(Patience);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        return await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/commands/{id}")).JsonAsync();
    }

    private static async Task AssertPerformedAsync(OwnedVehicle owned, SimulatedVehicle car, string type, object? parameters = null)
    {
        var command = await RunAsync(owned, car, type, parameters);
        Assert.True(command.GetProperty("state").GetString() == "performed", $"{type}: {command}");
    }

    private static async Task<JsonElement> ChargingAsync(OwnedVehicle owned) => await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/charging")).JsonAsync();

    private static async Task<JsonElement> ClimateAsync(OwnedVehicle owned) => await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/climate")).JsonAsync();

    private static JsonElement Value(JsonElement view, string field) => view.GetProperty(field).GetProperty("value");

    [Fact]
    public async Task Every_command_type_is_performed_by_the_simulated_car_and_its_effect_is_reported()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned);

        await AssertPerformedAsync(owned, car, "lock");
        Assert.True(car.IsLocked);
        await AssertPerformedAsync(owned, car, "honk_flash");
        await AssertPerformedAsync(owned, car, "flash");

        await AssertPerformedAsync(owned, car, "climate_start", new { targetTemperature = "22.5", zones = "front_left,rear_right" });
        Assert.True(car.IsClimatising);
        var climate = await ClimateAsync(owned);
        Assert.True(Value(climate, "active").GetBoolean());
        Assert.Equal(22.5, Value(climate, "targetTemperature").GetDouble());
        Assert.Equal("celsius", climate.GetProperty("targetTemperature").GetProperty("unit").GetString());
        Assert.Equal("front_left,rear_right", Value(climate, "zones").GetString());
        Assert.Equal("00:30", Value(climate, "remainingTime").GetString());
        await AssertPerformedAsync(owned, car, "climate_stop");
        Assert.False(Value(await ClimateAsync(owned), "active").GetBoolean());
        Assert.Equal("requested", Value(await ClimateAsync(owned), "stopReason").GetString());

        await car.PlugInAsync();
        await AssertPerformedAsync(owned, car, "charge_stop");
        Assert.Equal("not_charging", Value(await ChargingAsync(owned), "state").GetString());
        await AssertPerformedAsync(owned, car, "charge_settings", new { targetStateOfCharge = "90" });
        await AssertPerformedAsync(owned, car, "charge_start");
        Assert.True(car.IsCharging);
        var charging = await ChargingAsync(owned);
        Assert.Equal("charging", Value(charging, "state").GetString());
        Assert.Equal("locked", Value(charging, "plugState").GetString());
        Assert.Equal(90, Value(charging, "targetStateOfCharge").GetDouble());
        Assert.Equal("immediate", Value(charging, "mode").GetString());

        await AssertPerformedAsync(owned, car, "charge_timer_set", new { timerId = "2", time = "06:30", days = "mon,fri", targetStateOfCharge = "80" });
        await AssertPerformedAsync(owned, car, "climate_timer_set", new { timerId = "1", time = "07:15", date = "2031-01-02" });
        charging = await ChargingAsync(owned);
        Assert.Equal("deferred", Value(charging, "mode").GetString());
        var timer = Assert.Single(charging.GetProperty("timers").EnumerateArray());
        Assert.Equal((2, "06:30", "mon,fri", 80.0), (timer.GetProperty("id").GetInt32(), timer.GetProperty("time").GetString(),
            string.Join(",", timer.GetProperty("days").EnumerateArray().Select(d => d.GetString())), timer.GetProperty("targetStateOfCharge").GetDouble()));
        var climateTimer = Assert.Single((await ClimateAsync(owned)).GetProperty("timers").EnumerateArray());
        Assert.Equal("2031-01-02", climateTimer.GetProperty("date").GetString());
        Assert.Equal((1, 1), (car.ChargeTimers, car.ClimateTimers));

        await AssertPerformedAsync(owned, car, "charge_timer_delete", new { timerId = "2" });
        await AssertPerformedAsync(owned, car, "climate_timer_delete", new { timerId = "1" });
        Assert.Empty((await ChargingAsync(owned)).GetProperty("timers").EnumerateArray());
        Assert.Empty((await ClimateAsync(owned)).GetProperty("timers").EnumerateArray());
        Assert.Equal((0, 0), (car.ChargeTimers, car.ClimateTimers));
        await AssertPerformedAsync(owned, car, "charge_stop");
        Assert.False(car.IsCharging);
    }

    [Fact]
    public async Task The_car_refuses_what_it_cannot_do_and_says_why()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, level: 12);

        var start = await RunAsync(owned, car, "charge_start");
        Assert.Equal(("failed", "not_plugged"), (start.GetProperty("state").GetString(), start.GetProperty("reason").GetString()));
        var climate = await RunAsync(owned, car, "climate_start", new { targetTemperature = "21" });
        Assert.Equal(("failed", "low_battery"), (climate.GetProperty("state").GetString(), climate.GetProperty("reason").GetString()));
        await car.PlugInAsync(plugLocks: false);
        var unlocked = await RunAsync(owned, car, "charge_start");
        Assert.Equal("plug_not_locked", unlocked.GetProperty("reason").GetString());
        Assert.Equal("plugged", Value(await ChargingAsync(owned), "plugState").GetString());
    }

    [Fact]
    public async Task Charging_follows_a_charging_curve_and_the_app_sees_power_remaining_time_and_state_of_charge()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, level: 30);
        await AssertPerformedAsync(owned, car, "charge_settings", new { targetStateOfCharge = "100" });
        await car.PlugInAsync(chargerKw: 150);
        Assert.Equal(150_000, car.ChargingPower);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var charging = await ChargingAsync(owned);
        Assert.Equal("charging", Value(charging, "state").GetString());
        Assert.Equal(150_000, Value(charging, "power").GetDouble());
        Assert.Equal("W", charging.GetProperty("power").GetProperty("unit").GetString());
        Assert.Matches("^[0-9]{2}:[0-5][0-9]$", Value(charging, "remainingTime").GetString());

        // Past 50 % the battery takes less and less: the last 20 % take longer than the 20 % from 30 %.
        car.Step(TimeSpan.FromMinutes(5)); // 30 % → ≈ 45 %
        Assert.InRange(car.Level, 44, 47);
        Assert.Equal(150_000, car.ChargingPower);
        car.Step(TimeSpan.FromMinutes(10));
        Assert.True(car.ChargingPower < 100_000, $"power at {car.Level:0} %: {car.ChargingPower} W");
        while (car.IsCharging)
        {
            car.Step(TimeSpan.FromMinutes(1));
        }
        Assert.Equal(100, car.Level, precision: 3);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        charging = await ChargingAsync(owned);
        Assert.Equal(("complete", "target_reached", 100.0), (Value(charging, "state").GetString(), Value(charging, "stopReason").GetString(),
            Value(charging, "stateOfCharge").GetDouble()));
        Assert.Equal("00:00", Value(charging, "remainingTime").GetString());
    }

    [Fact]
    public async Task The_driver_is_told_when_they_must_act()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        await using var car = await ConnectAsync(owned, level: 15.5);
        Task<JsonElement> NotificationAsync(string type) => events.NextAsync("vehicle.notification", e => e.GetProperty("type").GetString() == type);

        await car.PlugInAsync(plugLocks: false);
        Assert.Contains("not locked", (await NotificationAsync("charging.plug_not_locked")).GetProperty("message").GetString());
        await car.UnplugAsync();
        await car.PlugInAsync();
        await car.PowerCutAsync();
        await NotificationAsync("charging.stopped");
        await car.ChargingFaultAsync();
        await NotificationAsync("charging.error");
        await car.UnplugAsync();

        await AssertPerformedAsync(owned, car, "climate_start", new { targetTemperature = "21" });
        while (car.IsClimatising)
        {
            car.Step(TimeSpan.FromMinutes(1));
        }
        var lowBattery = await NotificationAsync("climate.stopped_low_battery");
        Assert.Equal(owned.Vin, lowBattery.GetProperty("vin").GetString());
        Assert.Equal("low_battery", Value(await ClimateAsync(owned), "stopReason").GetString());
    }

    [Fact]
    public async Task A_timer_exists_once_the_car_confirms_it_and_a_deferred_charge_starts_at_its_time()
    {
        var owned = await server.OwnedVehicleAsync();
        var carClock = new TestClock();
        var id = await SendAsync(owned, "charge_timer_set",
            new { timerId = "5", time = "06:30", date = carClock.GetUtcNow().AddDays(1).ToString("yyyy-MM-dd"), targetStateOfCharge = "70" });
        Assert.Empty((await ChargingAsync(owned)).GetProperty("timers").EnumerateArray()); // sent to an offline car: not confirmed yet

        await using var car = await ConnectAsync(owned, level: 40, clock: carClock);
        await car.WaitForFrameAsync(f => f.Command?.CommandId == id).WaitAsync(Patience);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var timer = Assert.Single((await ChargingAsync(owned)).GetProperty("timers").EnumerateArray());
        Assert.Equal(5, timer.GetProperty("id").GetInt32());

        await car.PlugInAsync();
        Assert.Equal("waiting_for_deferred_start", car.ChargingState);
        var due = new DateTimeOffset(carClock.GetUtcNow().UtcDateTime.Date.AddDays(1).AddHours(6).AddMinutes(30), TimeSpan.Zero);
        carClock.Advance(due - carClock.GetUtcNow() - TimeSpan.FromMinutes(1));
        car.Step(TimeSpan.FromSeconds(1));
        Assert.Equal("waiting_for_deferred_start", car.ChargingState);
        carClock.Advance(TimeSpan.FromMinutes(2));
        car.Step(TimeSpan.FromSeconds(1));
        Assert.Equal(("charging", 70.0), (car.ChargingState, car.ChargeLimit));

        await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands",
                new { type = "charge_timer_set", parameters = new { timerId = "6", time = "06:30", days = "mon" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task Commands_take_the_cars_time_and_the_outcome_reaches_the_app_live()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var events = await EventStream.OpenAsync(owned.Client);
        await using var car = await ConnectAsync(owned, realisticTimes: true);
        var id = await SendAsync(owned, "lock");
        await car.WaitForFrameAsync(f => f.Command?.CommandId == id).WaitAsync(Patience);
        car.Step(TimeSpan.FromSeconds(1));
        Assert.False(car.IsLocked);
        Assert.Equal(1, car.CommandsInProgress);
        car.Step(TimeSpan.FromSeconds(1));
        Assert.True(car.IsLocked);
        var outcome = await events.NextAsync("vehicle.command", e => e.GetProperty("id").GetString() == id && e.GetProperty("state").GetString() is "performed" or "failed" or "expired");
        Assert.Equal("performed", outcome.GetProperty("state").GetString());
        // The lock state reached the platform before the outcome did.
        var status = await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/status")).JsonAsync();
        Assert.True(status.GetProperty("signals").GetProperty(SignalCatalog.FrontLeftDoorLocked.Path).GetProperty("value").GetBoolean());
    }

    [Fact]
    public async Task Switched_off_services_keep_nothing_refuse_commands_and_explain_the_gap()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, privacy: new PrivacySettings { DisabledServices = { ServiceIds.EControl } });
        await car.PlugInAsync();
        await car.SendStatusAsync(Trigger.OnRequest);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var charging = await ChargingAsync(owned);
        Assert.Equal("service_disabled", charging.GetProperty("state").GetProperty("unavailable").GetString());
        Assert.Equal(JsonValueKind.Null, Value(charging, "state").ValueKind);
        var stored = await server.Get<StatusStore>().FindAsync(owned.Vin, CancellationToken.None);
        Assert.DoesNotContain(stored!.Values, v => SignalCatalog.Find(v.Id)!.Service == SignalService.EControl);
        await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands", new { type = "charge_start" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
        // Climate is a service without location too: that group switch refuses it.
        await car.SetPrivacyAsync(new PrivacySettings { NonLocationServicesDisabled = true });
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/commands", new { type = "climate_start", parameters = new { targetTemperature = "20" } }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
    }

    [Fact]
    public async Task Another_accounts_car_reads_as_not_found_and_a_combustion_car_has_no_charging()
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await ConnectAsync(owned, powertrain: Powertrain.Combustion);
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.GetAsync($"/api/v1/vehicles/{owned.Vin}/charging")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await stranger.GetAsync($"/api/v1/vehicles/{owned.Vin}/climate")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Equal("not_supported", (await ChargingAsync(owned)).GetProperty("state").GetProperty("unavailable").GetString());
        var start = await RunAsync(owned, car, "charge_start");
        Assert.Equal("unsupported", start.GetProperty("reason").GetString());
        await AssertPerformedAsync(owned, car, "climate_start", new { targetTemperature = "19" });
    }
}

public sealed class ChargingAndClimateOnSqlite(SqliteServer server) : ChargingAndClimateTests(server), IClassFixture<SqliteServer>;

public sealed class ChargingAndClimateOnPostgres(PostgresServer server) : ChargingAndClimateTests(server), IClassFixture<PostgresServer>;
