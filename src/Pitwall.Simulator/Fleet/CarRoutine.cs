using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// One fleet car's day, as a small state machine advanced by the fleet's tick: stand parked, get in, drive a while
/// around home, stop, get out, sometimes unload the boot, lock (now and then resetting the trip memory), and charge or
/// refuel when low. The car's actions complete at once (they only queue reports), so their tasks are not awaited.
/// </summary>
internal sealed class CarRoutine(SimulatedVehicle car, SimRandom random, double firstDepartureSeconds)
{
    private enum Phase
    {
        Parked,
        Boarding,
        Driving,
        Alighting,
        Unloading,
    }

    private Phase _phase = Phase.Parked;
    private double _secondsLeft = firstDepartureSeconds;

    public SimulatedVehicle Car { get; } = car;

    public void Advance(TimeSpan elapsed)
    {
        Car.Step(elapsed);
        _secondsLeft -= elapsed.TotalSeconds;
        if (_secondsLeft > 0)
        {
            return;
        }
        switch (_phase)
        {
            case Phase.Parked:
                _ = Car.OpenDoorAsync(Door.FrontLeft);
                Enter(Phase.Boarding, random.Between(5, 20));
                break;
            case Phase.Boarding:
                _ = Car.CloseDoorAsync(Door.FrontLeft);
                _ = Car.DriveAsync(TimeSpan.Zero);
                Enter(Phase.Driving, random.Between(180, 900));
                break;
            case Phase.Driving:
                _ = Car.StopEngineAsync();
                _ = Car.OpenDoorAsync(Door.FrontLeft);
                Enter(Phase.Alighting, random.Between(3, 10));
                break;
            case Phase.Alighting:
                _ = Car.CloseDoorAsync(Door.FrontLeft);
                if (random.Chance(0.3))
                {
                    _ = Car.OpenTailgateAsync();
                    Enter(Phase.Unloading, random.Between(20, 60));
                }
                else
                {
                    Park();
                }
                break;
            case Phase.Unloading:
                _ = Car.CloseTailgateAsync();
                Park();
                break;
        }
    }

    private void Park()
    {
        Car.SetLocked(true);
        if (random.Chance(0.05))
        {
            _ = Car.ResetTripMemoryAsync(); // now and then the driver starts the long-term trip memory afresh (C3)
        }
        if (random.Chance(0.02))
        {
            // Rarely someone leans on a parked car or a cat walks inside it: the anti-theft alarm goes off (D1).
            _ = Car.TriggerAlarmAsync(random.Chance(0.5) ? AlarmEvent.Types.Reason.InteriorMotion : AlarmEvent.Types.Reason.TiltTow);
        }
        if (Car.Level < (Car.Powertrain == Powertrain.Electric ? 35 : 15))
        {
            _ = Car.ChargeAsync(random.Between(80, 100));
        }
        Enter(Phase.Parked, random.Between(120, 1200));
    }

    private void Enter(Phase phase, double seconds)
    {
        _phase = phase;
        _secondsLeft = seconds;
    }
}
