using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// The control units' fault memory: now and then (per distance driven) a realistic fault appears — a real generic OBD-II code
/// (SAE J2012) that fits the powertrain — first pending, confirmed when it comes back on a later drive, cleared by the car
/// after ten drives without it. Only touched under the owning vehicle's lock.
/// </summary>
internal sealed class FaultMemory(Powertrain powertrain)
{
    private const int DrivesToClear = 10;

    /// <summary>Faults a car of this kind really gets, with the unit that stores them and whether they light a lamp.</summary>
    private static readonly (string Code, string Unit, bool Lamp)[] Combustion =
    [
        ("P0420", "engine", true), ("P0171", "engine", true), ("P0300", "engine", true), ("P0128", "engine", false),
        ("P0442", "engine", false), ("P0135", "engine", true), ("P0562", "gateway", false), ("C0035", "brakes", true),
        ("U0121", "gateway", true),
    ];

    private static readonly (string Code, string Unit, bool Lamp)[] Electric =
    [
        ("P0AFA", "bms", true), ("P0A1F", "bms", true), ("P0C73", "inverter", false), ("P0D27", "charger", false),
        ("P0562", "gateway", false), ("C0035", "brakes", true), ("U0121", "gateway", true),
    ];

    private readonly List<Fault> _faults = [];

    public IReadOnlyList<Fault> Faults => _faults;

    /// <summary>Whether a new fault appeared while driving <paramref name="metres"/>; <paramref name="per1000Km"/> is the rate.</summary>
    public Fault? MaybeRaise(double metres, double per1000Km, SimRandom random, Func<Fault, Fault> withFreezeFrame, DateTimeOffset now)
    {
        if (per1000Km <= 0 || metres <= 0 || !random.Chance(metres / 1_000_000 * per1000Km))
        {
            return null;
        }
        var list = powertrain == Powertrain.Electric ? Electric : Combustion;
        var (code, unit, lamp) = list[random.Next(list.Length)];
        return Raise(code, unit, lamp, withFreezeFrame, now);
    }

    /// <summary>Stores <paramref name="code"/> (or counts it again); returns the entry when it is new.</summary>
    public Fault? Raise(string code, string unit, bool lamp, Func<Fault, Fault> withFreezeFrame, DateTimeOffset now)
    {
        if (_faults.FirstOrDefault(f => f.Code == code) is { } known)
        {
            Recur(known, now);
            return null;
        }
        var fault = withFreezeFrame(new Fault(code, unit, lamp, now));
        _faults.Add(fault);
        return fault;
    }

    /// <summary>A drive ended: a known fault comes back (half the time), one that stayed away long enough is cleared.</summary>
    public void DriveEnded(SimRandom random, DateTimeOffset now)
    {
        foreach (var fault in _faults.ToList())
        {
            if (random.Chance(0.5))
            {
                Recur(fault, now);
            }
            else if (++fault.DrivesWithout >= DrivesToClear)
            {
                _faults.Remove(fault);
            }
        }
    }

    public void Clear() => _faults.Clear();

    private static void Recur(Fault fault, DateTimeOffset now)
    {
        fault.Occurrences++;
        fault.LastSeen = now;
        fault.DrivesWithout = 0;
        if (fault.Status == FaultEntry.Types.Status.Pending)
        {
            fault.Status = FaultEntry.Types.Status.Confirmed;
        }
    }

    public sealed class Fault(string code, string unit, bool lamp, DateTimeOffset firstSeen)
    {
        public string Code { get; } = code;
        public string Unit { get; } = unit;
        public bool Lamp { get; } = lamp;
        public DateTimeOffset FirstSeen { get; } = firstSeen;
        public DateTimeOffset LastSeen { get; set; } = firstSeen;
        public uint Occurrences { get; set; } = 1;
        public FaultEntry.Types.Status Status { get; set; } = FaultEntry.Types.Status.Pending;
        public int DrivesWithout { get; set; }
        public List<FreezeFrameValue> FreezeFrame { get; } = [];

        public FaultEntry ToEntry()
        {
            var entry = new FaultEntry
            {
                Code = Code, Status = Status, ControlUnit = Unit, FirstSeenMs = FirstSeen.ToUnixTimeMilliseconds(),
                LastSeenMs = LastSeen.ToUnixTimeMilliseconds(), Occurrences = Occurrences, WarningLamp = Lamp,
            };
            entry.FreezeFrame.Add(FreezeFrame);
            return entry;
        }
    }
}
