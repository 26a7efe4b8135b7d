using System.Text.RegularExpressions;
using Google.Protobuf.Collections;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// The gate's check of a service log (F1), before the handler sees it: lists and strings bounded (else refused, so that one
/// car can never make the platform store or process an unbounded amount), the log's time possible (else refused), and every
/// value that is not plausible dropped — an unknown or malformed fault code, a condition outside its component's physical
/// range, a freeze-frame value that is not finite, a histogram whose counts do not fit its bounds.
/// </summary>
internal sealed partial class ServiceLogCheck : ICarMessageCheck
{
    public const int MaxEntries = 64;
    public const int MaxFreezeFrameValues = 32;
    public const int MaxHistograms = 16;
    public const int MaxBins = 32;
    public const int MaxText = 64;
    public const uint MaxOccurrences = 1_000_000;

    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.ServiceLog;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var log = envelope.ServiceLog;
        if (log.ControlUnits.Count > MaxEntries || log.Faults.Count > MaxEntries || log.Components.Count > MaxEntries || log.Crossed.Count > MaxEntries ||
            log.Faults.Any(f => f.FreezeFrame.Count > MaxFreezeFrameValues) || log.Usage?.Histograms.Count > MaxHistograms ||
            log.Usage?.Histograms.Any(h => h.UpperBounds.Count > MaxBins || h.Counts.Count > MaxBins + 1) == true)
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        if (log.ControlUnits.Any(u => TooLong(u.Name, u.PartNumber, u.SoftwareVersion, u.HardwareVersion)) ||
            log.Faults.Any(f => TooLong(f.Code, f.ControlUnit) || f.FreezeFrame.Any(v => TooLong(v.Name, v.Unit))) ||
            log.Usage?.Histograms.Any(h => TooLong(h.Name)) == true)
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        if (!clock.Contains(log.RecordedAtMs))
        {
            return ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange);
        }
        var dropped = DropWhere(log.Faults, f => !IsFaultCode(f.Code) || !clock.ContainsOrUnset(f.FirstSeenMs) || !clock.ContainsOrUnset(f.LastSeenMs) ||
            f.Occurrences > MaxOccurrences);
        foreach (var fault in log.Faults)
        {
            dropped += DropWhere(fault.FreezeFrame, v => !double.IsFinite(v.Value));
        }
        var seen = new HashSet<uint>();
        dropped += DropWhere(log.Components, c => ComponentCatalog.Find(c.Id) is not { } component || !component.IsPlausible(c.Value) || !seen.Add(c.Id));
        dropped += DropWhere(log.Crossed, id => ComponentCatalog.Find(id) is null);
        if (log.Usage is { } usage)
        {
            dropped += DropWhere(usage.Histograms, h => h.Counts.Count != h.UpperBounds.Count + 1 || h.UpperBounds.Any(b => !double.IsFinite(b)));
            if (!IsWithin(usage.OdometerM, PhysicalLimits.MaxOdometerMetres) || !IsWithin(usage.OperatingTimeS, 100.0 * 365 * 86_400) ||
                !IsWithin(usage.ChargeCycles, 1_000_000))
            {
                log.Usage = null; // the usage data makes no sense as a whole: without it, the log is still a log
                dropped++;
            }
        }
        return new ContentVerdict(null, dropped);
    }

    /// <summary>SAE J2012: P, C, B or U and four hex digits (upper case).</summary>
    public static bool IsFaultCode(string code) => FaultCode().IsMatch(code);

    private static bool IsWithin(double value, double max) => double.IsFinite(value) && value >= 0 && value <= max;

    private static bool TooLong(params ReadOnlySpan<string> texts)
    {
        foreach (var text in texts)
        {
            if (text.Length > MaxText)
            {
                return true;
            }
        }
        return false;
    }

    private static int DropWhere<T>(RepeatedField<T> list, Func<T, bool> implausible)
    {
        var dropped = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (implausible(list[i]))
            {
                list.RemoveAt(i);
                dropped++;
            }
        }
        return dropped;
    }

    [GeneratedRegex("^[PCBU][0-9A-F]{4}$")]
    private static partial Regex FaultCode();
}
