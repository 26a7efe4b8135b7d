using Google.Protobuf.Collections;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway.Validation;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// The gate's checks of the breakdown call's car messages (F2): lists and strings bounded (else refused), times possible, and what
/// is implausible dropped (a position off the globe, a value that is not finite). An emergency call is never refused for its
/// content short of its size: an implausible time reads as "now", an implausible position as "no fix".
/// </summary>
internal static class BreakdownLimits
{
    public const int MaxEntries = 64;
    public const int MaxPositions = 16;
    public const int MaxText = 64;
    public const int MaxNumber = 32;

    public static bool TooLong(params ReadOnlySpan<string> texts)
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

    public static bool IsPlausible(Position? p, CarClock clock) =>
        p is null || (p.Latitude is >= -90 and <= 90 && p.Longitude is >= -180 and <= 180 && double.IsFinite(p.AccuracyM) && p.AccuracyM >= 0 &&
            clock.ContainsOrUnset(p.RecordedAtMs));

    public static int DropWhere<T>(RepeatedField<T> list, Func<T, bool> drop)
    {
        var before = list.Count;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            if (drop(list[i]))
            {
                list.RemoveAt(i);
            }
        }
        return before - list.Count;
    }

    public static bool TooMany(RepeatedField<FaultEntry> faults, RepeatedField<LiveValue> values) =>
        faults.Count > MaxEntries || values.Count > MaxEntries || faults.Any(f => f.FreezeFrame.Count > MaxEntries);

    public static bool AnyTooLong(RepeatedField<FaultEntry> faults, RepeatedField<LiveValue> values) =>
        faults.Any(f => TooLong(f.Code, f.ControlUnit)) || values.Any(v => TooLong(v.Name, v.Unit));
}

internal sealed class BreakdownCallCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.BreakdownCall;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var call = envelope.BreakdownCall;
        if (BreakdownLimits.TooMany(call.Faults, call.LiveValues) || call.ControlUnits.Count > BreakdownLimits.MaxEntries ||
            call.Components.Count > BreakdownLimits.MaxEntries || call.LastPositions.Count > BreakdownLimits.MaxPositions)
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        if (BreakdownLimits.TooLong(call.CallId, call.Consent?.DealerId ?? "") || call.CallbackNumber.Length > BreakdownLimits.MaxNumber ||
            call.CallId.Length == 0 || BreakdownLimits.AnyTooLong(call.Faults, call.LiveValues) ||
            call.ControlUnits.Any(u => BreakdownLimits.TooLong(u.Name, u.PartNumber, u.SoftwareVersion, u.HardwareVersion)))
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        if (!clock.Contains(call.RecordedAtMs))
        {
            return ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange);
        }
        var dropped = BreakdownLimits.DropWhere(call.LiveValues, v => !double.IsFinite(v.Value));
        dropped += BreakdownLimits.DropWhere(call.Components, c => !double.IsFinite(c.Value));
        dropped += BreakdownLimits.DropWhere(call.LastPositions, p => !BreakdownLimits.IsPlausible(p, clock));
        if (!BreakdownLimits.IsPlausible(call.Position, clock))
        {
            call.Position = null;
            dropped++;
        }
        if (!double.IsFinite(call.HeadingDeg) || !double.IsFinite(call.SpeedMps))
        {
            (call.HeadingDeg, call.SpeedMps) = (0, 0);
            dropped++;
        }
        return new ContentVerdict(null, dropped);
    }
}

internal sealed class LiveDiagnosisCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.LiveDiagnosis;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var answer = envelope.LiveDiagnosis;
        if (BreakdownLimits.TooMany(answer.Faults, answer.Values))
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        if (BreakdownLimits.TooLong(answer.RequestId, answer.Unavailable) || BreakdownLimits.AnyTooLong(answer.Faults, answer.Values))
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        return !clock.Contains(answer.RecordedAtMs)
            ? ContentVerdict.Refuse(RefusalReasons.TimeOutOfRange)
            : new ContentVerdict(null, BreakdownLimits.DropWhere(answer.Values, v => !double.IsFinite(v.Value)));
    }
}

internal sealed class EmergencyCallCheck : ICarMessageCheck
{
    public Envelope.PayloadOneofCase Checks => Envelope.PayloadOneofCase.EmergencyCall;

    public ContentVerdict Check(Envelope envelope, CarClock clock)
    {
        var call = envelope.EmergencyCall;
        if (call.LastPositions.Count > BreakdownLimits.MaxPositions)
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        if (call.CallId.Length is 0 or > BreakdownLimits.MaxText || call.VehicleType.Length > BreakdownLimits.MaxText ||
            call.CallbackNumber.Length > BreakdownLimits.MaxNumber)
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        var dropped = BreakdownLimits.DropWhere(call.LastPositions, p => !BreakdownLimits.IsPlausible(p, clock));
        if (!BreakdownLimits.IsPlausible(call.Position, clock))
        {
            call.Position = null;
            dropped++;
        }
        if (!clock.Contains(call.OccurredAtMs))
        {
            call.OccurredAtMs = 0; // read as the time it arrived
            dropped++;
        }
        if (!double.IsFinite(call.HeadingDeg))
        {
            call.HeadingDeg = 0;
            dropped++;
        }
        return new ContentVerdict(null, dropped);
    }
}
