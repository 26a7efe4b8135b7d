using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Bench.SmartService;

/// <summary>
/// The benchmark's service logs: per car and day one periodic log with every component of the catalogue (20) and five
/// fault-memory entries (real generic OBD-II codes, each with a freeze frame), three control units and usage data with two
/// histograms — deterministic, so the end-to-end run and the raw insert ceiling store the same rows. Day <c>d</c>'s log is
/// taken <c>d</c> days after the first (back-dated from now, so the cars' clocks stay plausible), wear and odometer rising.
/// </summary>
internal static class DailyLogs
{
    public const int Components = 20;
    public const int Faults = 5;
    private static readonly string[] Codes = ["P0301", "P0420", "P0171", "P0562", "P0128"];

    /// <summary>When day 0 of a run with <paramref name="days"/> measured days (and <paramref name="historyDays"/> before them) starts.</summary>
    public static long FirstDayMs(DateTimeOffset now, int historyDays, int days) =>
        now.AddDays(-(historyDays + days)).ToUnixTimeMilliseconds() / 86_400_000 * 86_400_000;

    public static long TakenAtMs(long firstDayMs, int car, int day) => firstDayMs + day * 86_400_000L + car % 43_200 * 1000L;

    public static double Odometer(int car, int day) => 10_000_000 + car % 1000 * 1000 + day * 45_000.0;

    /// <summary>Component <paramref name="component"/>'s condition on that day, inside its physical range.</summary>
    public static double Value(ServiceComponent component, int car, int day)
    {
        var spread = car % 17;
        return component.Direction switch
        {
            WearDirection.Rising => Math.Min(component.Max, 10 + spread + day * 0.08 * (component.Max / 100)),
            WearDirection.Falling => Math.Max(component.Min, 95 - spread - day * 0.06 * (component.Max / 100)),
            _ => component.Min + (component.Max - component.Min) * (0.55 + spread / 400.0),
        };
    }

    public static ServiceLog Log(int car, int day, long firstDayMs)
    {
        var at = TakenAtMs(firstDayMs, car, day);
        var log = new ServiceLog
        {
            LogVersion = 1, Cause = ServiceLog.Types.Cause.Periodic, RecordedAtMs = at,
            ControlUnits =
            {
                new ControlUnit { Name = "engine", PartNumber = "9A7.907.309.B", SoftwareVersion = "0810", HardwareVersion = "H04" },
                new ControlUnit { Name = "gateway", PartNumber = "9J1.907.530.F", SoftwareVersion = "1203", HardwareVersion = "H12" },
                new ControlUnit { Name = "brakes", PartNumber = "9J1.614.517.L", SoftwareVersion = "0450", HardwareVersion = "H02" },
            },
            Usage = new UsageData
            {
                OdometerM = Odometer(car, day), OperatingTimeS = 3_600_000 + day * 3_600.0, ChargeCycles = 200 + day,
                Histograms =
                {
                    new Histogram { Name = "speed_mps", UpperBounds = { 5, 10, 15, 20, 25, 30, 40 }, Counts = { 40, 80, 120, 90, 60, 30, 10, 2 } },
                    new Histogram { Name = "brake_decel_mps2", UpperBounds = { 1, 2, 3, 4, 6, 8, 10 }, Counts = { 300, 120, 40, 12, 5, 2, 1, 0 } },
                },
            },
        };
        log.Components.Add(ComponentCatalog.All.Take(Components).Select(c => new ComponentCondition { Id = c.Id, Value = Value(c, car, day) }));
        log.Faults.Add(Codes.Select((code, i) => new FaultEntry
        {
            Code = code, Status = i == 0 ? FaultEntry.Types.Status.Pending : FaultEntry.Types.Status.Confirmed, ControlUnit = "engine",
            FirstSeenMs = firstDayMs + i * 1000L, LastSeenMs = at, Occurrences = (uint)(1 + day), WarningLamp = i < 2,
            FreezeFrame =
            {
                new FreezeFrameValue { Name = "engine_speed", Value = 2100 + i * 10, Unit = "rpm" },
                new FreezeFrameValue { Name = "coolant_temperature", Value = 88, Unit = "Cel" },
                new FreezeFrameValue { Name = "odometer", Value = Odometer(car, day), Unit = "m" },
            },
        }));
        return log;
    }
}
