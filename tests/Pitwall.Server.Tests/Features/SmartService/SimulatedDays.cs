using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>Simulated months for the Smart Service's tests: the test clock moves a day at a time and the car lives it.</summary>
internal static class SimulatedDays
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A day passes; the car drives <paramref name="minutes"/> (its daily log goes out as it sets off), parks and
    /// refuels; the prediction job runs.</summary>
    public static async Task DayAsync(PitwallServer server, SimulatedVehicle car, int minutes)
    {
        server.Clock.Advance(TimeSpan.FromDays(1));
        await car.DriveAsync(TimeSpan.FromMinutes(minutes));
        await car.StopEngineAsync();
        await car.ChargeAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await server.Get<Pitwall.Server.Features.SmartService.PredictionJob>().RunOnceAsync(CancellationToken.None);
    }

    /// <summary>The owner's client with a fresh token (the clock moves by months; tokens expire).</summary>
    public static async Task<HttpClient> OwnerAsync(PitwallServer server, OwnedVehicle owned) =>
        server.ClientWith((await server.SignInAsync(owned.Owner.Email, owned.Owner.Password)).AccessToken);
}
