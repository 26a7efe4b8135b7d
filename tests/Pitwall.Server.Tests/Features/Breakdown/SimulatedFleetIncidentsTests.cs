using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Breakdown;

/// <summary>pitwall-sim on demand (<c>--break-down VIN</c>, <c>--emergency-call VIN</c>): the named cars of a fleet break down and
/// call for help, or raise an emergency call, once they are connected; the assistance centre's queue hears of both.</summary>
public sealed class SimulatedFleetIncidentsTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private const string FleetSecret = "incidents-fleet-secret";

    [Fact]
    public async Task Cars_named_on_demand_break_down_and_raise_an_emergency_call_that_reach_the_assistance_queue()
    {
        var first = 90_000 + Random.Shared.Next(5_000);
        var fleetOptions = new FleetOptions
        {
            Server = server.Client.BaseAddress!, Count = 2, FirstIndex = first, FleetSecret = FleetSecret, ConnectsPerSecond = 100,
            BreakDownVins = [FleetVins.For(first)], EmergencyVins = [FleetVins.For(first + 1)],
        };
        foreach (var vin in new[] { FleetVins.For(first), FleetVins.For(first + 1) })
        {
            var secret = VehicleAuth.DeriveSecret(System.Text.Encoding.UTF8.GetBytes(FleetSecret), vin);
            Assert.NotNull(await server.Get<VehicleRegistry>().RegisterAsync(
                new RegisterVehicleRequest(vin, "Taycan", 2025, null, null, Convert.ToBase64String(secret)), CancellationToken.None));
        }
        var (agent, _, _) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");

        using var stop = new CancellationTokenSource();
        await using var fleet = new SimulatedFleet(fleetOptions);
        var run = fleet.RunAsync(stop.Token);
        var kinds = new[]
        {
            (await feed.NextAsync("assistance.case_opened", _ => true, BreakdownSetup.Patience)).GetProperty("kind").GetString(),
            (await feed.NextAsync("assistance.case_opened", _ => true, BreakdownSetup.Patience)).GetProperty("kind").GetString(),
        };
        await stop.CancelAsync();
        await run;

        Assert.Equal(["breakdown", "emergency"], kinds.Order());
        Assert.Equal((1, 0), (fleet.Vehicles[0].BreakdownCallsSent, fleet.Vehicles[0].EmergencyCallsSent));
        Assert.Equal((0, 1), (fleet.Vehicles[1].BreakdownCallsSent, fleet.Vehicles[1].EmergencyCallsSent));
        Assert.NotNull(fleet.Vehicles[0].Breakdown);
    }

    [Fact]
    public void A_car_outside_the_fleet_is_refused()
    {
        var options = new FleetOptions { Count = 2, FirstIndex = 10, BreakDownVins = [FleetVins.For(12)] };
        Assert.Contains("is not a car of this fleet", Assert.Throws<ArgumentException>(() => new SimulatedFleet(options)).Message, StringComparison.Ordinal);
    }
}
