using System.Net.Http.Json;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>The simulator as the car (F3): it polls, follows the owner's preference per update kind, downloads and checks the
/// files, installs and reports; Pitwall documents the new software per car.</summary>
public sealed class SimulatedUpdateTests(UpdateSqliteServer server) : IClassFixture<UpdateSqliteServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(SimulatedVehicle Car, OwnedVehicle Owned)> CarAsync(bool driverAccepts)
    {
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 3, DriverAcceptsUpdates = driverAccepts,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.PollForUpdateAsync(); // at start: creates the car's own target
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        return (car, owned);
    }

    [Fact]
    public async Task A_simulated_car_installs_a_security_fix_by_itself_and_a_driver_who_declines_a_feature_postpones_it()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        byte[] image = [.. Enumerable.Range(0, 20_000).Select(i => (byte)(i % 13))];
        var (security, _) = await admin.ModuleAsync("telematics", "5.3.0", "telematics.img", image);
        var securitySet = await admin.SetAsync("Telematics fix", "5.3.0", [security], updateKind: "security");
        var (feature, _) = await admin.ModuleAsync("head-unit", "25.1.0", "head-unit.img", image);
        var featureSet = await admin.SetAsync("Head unit features", "25.1.0", [feature], updateKind: "feature");

        var (car, owned) = await CarAsync(driverAccepts: false);
        await using (car)
        {
            await admin.AssignAsync(securitySet, owned.Vin, "soft");
            await car.PollForUpdateAsync();
            Assert.Equal("closed", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "closed"));
            Assert.Equal("5.3.0", car.InstalledSoftware["telematics"]);
            var software = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/software")).JsonAsync()).GetProperty("targets")[0];
            Assert.Equal("5.3.0", software.GetProperty("installed").GetProperty("version").GetString());

            await admin.AssignAsync(featureSet, owned.Vin, "soft");
            await car.PollForUpdateAsync();
            Assert.Equal("scheduled", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "scheduled"));
            Assert.Equal("24.3.1", car.InstalledSoftware["head-unit"]); // not installed: the driver said later
        }
    }

    [Fact]
    public async Task The_owners_choices_on_the_server_overrule_the_cars_own_settings_a_refused_kind_is_declined_an_accepted_feature_installed()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        byte[] image = [.. Enumerable.Range(0, 5_000).Select(i => (byte)(i % 11))];
        var (module, _) = await admin.ModuleAsync("head-unit", $"26.{Random.Shared.Next()}", "head-unit.img", image);
        var maintenance = await admin.SetAsync("Head unit tune-up", $"{Random.Shared.Next()}", [module], updateKind: "maintenance");
        var feature = await admin.SetAsync("Head unit apps", $"{Random.Shared.Next()}", [module], updateKind: "feature");
        var (car, owned) = await CarAsync(driverAccepts: false);
        await using (car)
        {
            var software = $"/api/v1/vehicles/{owned.Vin}/software";
            (await owned.Client.PutAsJsonAsync($"{software}/preferences", new { updateKind = "maintenance", decision = "never" })).EnsureSuccessStatusCode();
            var declined = await admin.AssignAsync(maintenance, owned.Vin, "soft");
            await car.PollForUpdateAsync();
            Assert.Equal("rejected", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "rejected")); // the car itself would install it
            await admin.Client.PostAsync($"/api/v1/admin/software/actions/{declined}/cancel", null);
            await car.PollForUpdateAsync(); // the car confirms the cancellation
            Assert.Equal("closed", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "closed"));

            var accepted = await admin.AssignAsync(feature, owned.Vin, "soft");
            (await owned.Client.PostAsync($"{software}/updates/{accepted}/accept", null)).EnsureSuccessStatusCode();
            await car.PollForUpdateAsync();
            Assert.Equal("closed", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "closed"));
            var target = (await (await owned.Client.GetAsync(software)).JsonAsync()).GetProperty("targets")[0];
            Assert.Equal("Head unit apps", target.GetProperty("installed").GetProperty("name").GetString());
            Assert.Equal(1, car.UpdatesInstalled);
        }
    }

    [Fact]
    public async Task A_simulated_car_asks_for_updates_by_itself_at_ignition_on_and_after_each_interval_of_its_time()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (module, _) = await admin.ModuleAsync("telematics", $"6.{Random.Shared.Next()}", "telematics.img", [7, 7, 7]);
        var first = await admin.SetAsync("Telematics fix", $"{Random.Shared.Next()}", [module], updateKind: "security");
        var owned = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 4, PollUpdatesAtStart = true,
            UpdatePollInterval = TimeSpan.FromHours(6),
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await admin.TargetAsync(owned.Vin, owned.Vin);
        await admin.AssignAsync(first, owned.Vin, "soft");
        await car.StartEngineAsync(); // ignition on: the car asks
        Assert.Equal("closed", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "closed"));
        await car.StopEngineAsync();

        var (second, _) = await admin.ModuleAsync("telematics", $"7.{Random.Shared.Next()}", "telematics.img", [8, 8, 8]);
        await admin.AssignAsync(await admin.SetAsync("Telematics fix", $"{Random.Shared.Next()}", [second], updateKind: "security"), owned.Vin, "soft");
        car.Step(TimeSpan.FromHours(5)); // parked: not yet due
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Equal("assigned", await admin.LastExecutionWhenAsync(owned.Vin, _ => true));
        car.Step(TimeSpan.FromHours(1)); // six hours: the car asks by itself
        Assert.Equal("closed", await admin.LastExecutionWhenAsync(owned.Vin, e => e == "closed"));
        Assert.Equal(2, car.UpdatesInstalled);
    }
}
