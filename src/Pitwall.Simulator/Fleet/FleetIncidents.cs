using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Breakdowns and emergency calls on demand (F2, P1), on top of the breakdowns each car has now and then by distance: at a fleet-wide
/// rate (a random connected car that still runs breaks down and calls for help, or raises an emergency call), and for the cars named
/// (each once, as soon as it is connected). Seeded like the fleet. Advanced by the fleet's tick.
/// </summary>
internal sealed class FleetIncidents
{
    private readonly IReadOnlyList<SimulatedVehicle> _cars;
    private readonly FleetOptions _options;
    private readonly SimRandom _random;
    private readonly List<SimulatedVehicle> _breakDown;
    private readonly List<SimulatedVehicle> _emergency;

    public FleetIncidents(IReadOnlyList<SimulatedVehicle> cars, FleetOptions options)
    {
        _cars = cars;
        _options = options;
        _random = new SimRandom(options.Seed, stream: 3);
        var byVin = cars.ToDictionary(c => c.Vin, StringComparer.Ordinal);
        _breakDown = [.. options.BreakDownVins.Select(v => byVin[v])];
        _emergency = [.. options.EmergencyVins.Select(v => byVin[v])];
    }

    /// <param name="started">How many cars (from the first) have joined so far.</param>
    public void Advance(TimeSpan elapsed, int started)
    {
        Named(_breakDown, BreakDown);
        Named(_emergency, CallEmergency);
        if (started > 0 && _random.Chance(_options.BreakdownsPerHour * elapsed.TotalHours) && Pick(started) is { } broken)
        {
            BreakDown(broken);
        }
        if (started > 0 && _random.Chance(_options.EmergencyCallsPerHour * elapsed.TotalHours) && Pick(started) is { } caller)
        {
            CallEmergency(caller);
        }
    }

    /// <summary>The named cars that are connected now act; the others wait for their link.</summary>
    private static void Named(List<SimulatedVehicle> waiting, Action<SimulatedVehicle> act)
    {
        for (var i = waiting.Count - 1; i >= 0; i--)
        {
            if (waiting[i].IsConnected)
            {
                act(waiting[i]);
                waiting.RemoveAt(i);
            }
        }
    }

    /// <summary>A connected car that still runs, tried a few times at random; null when none was found.</summary>
    private SimulatedVehicle? Pick(int started)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var car = _cars[_random.Next(started)];
            if (car.IsConnected && car.Breakdown is null)
            {
                return car;
            }
        }
        return null;
    }

    private void BreakDown(SimulatedVehicle car)
    {
        var kind = (BreakdownKind)_random.Next(4);
        _ = car.BreakDownAsync(kind);
        _options.Output?.WriteLine($"{car.Vin} broke down ({kind}) and called for breakdown help");
    }

    private void CallEmergency(SimulatedVehicle car)
    {
        var trigger = _random.Chance(0.5) ? EmergencyCall.Types.Trigger.Crash : EmergencyCall.Types.Trigger.SosButton;
        _ = car.CallEmergencyAsync(trigger, passengers: (uint)(1 + _random.Next(4)));
        _options.Output?.WriteLine($"{car.Vin} raised an emergency call ({(trigger == EmergencyCall.Types.Trigger.Crash ? "crash" : "SOS button")})");
    }
}
