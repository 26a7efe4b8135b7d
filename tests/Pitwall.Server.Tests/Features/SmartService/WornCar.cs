using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>A simulated combustion car with data for the Smart Service's pages: a few days of driving (the test clock moves a
/// day at a time) wear its front brake pads from 40 %, a misfire (P0301) is in its fault memory, and the prediction job ran.</summary>
internal static class WornCar
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <returns>The car, still connected (it records the frames it receives).</returns>
    public static async Task<SimulatedVehicle> DriveAsync(PitwallServer server, OwnedVehicle owned, int days)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 77, Powertrain = Powertrain.Combustion,
            TimeProvider = server.Clock, FaultsPer1000Km = 0, ServiceCondition = new ServiceCondition { BrakePadsFrontWear = 40 }, WearFactor = 6,
            RecordReceivedFrames = true,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        for (var day = 0; day < days; day++)
        {
            server.Clock.Advance(TimeSpan.FromDays(1));
            await car.DriveAsync(TimeSpan.FromMinutes(40));
            await car.StopEngineAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        await car.RaiseFaultAsync("P0301", "engine");
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
        return car;
    }
}
