using Pitwall.Protocol;

namespace Pitwall.Server.Features.SmartService;

/// <summary>A condition report of one component: when, at what odometer reading (m), what value.</summary>
internal readonly record struct ConditionSample(DateTimeOffset RecordedAt, double Odometer, double Value);

/// <summary>A component's state and its next maintenance as predicted.</summary>
internal sealed record Prediction(string State, DateTimeOffset? DueAt, double? DueOdometer, double? Confidence, int Points, string Basis);

/// <summary>
/// Predicts a part's next maintenance from the trend of its own condition (F1), per car and part: the reports since the part
/// was last renewed (a jump back towards new) are fitted by least squares twice — condition against odometer and condition
/// against time — and the better fit is extrapolated to the part's limit; the car's own distance per day (odometer against time,
/// fitted the same way) turns a predicted mileage into a date and back. Fixed service intervals per model (from the renewal)
/// combine with it: whichever comes first. Confidence grows with the fit's R², the number of points and how little is
/// extrapolated beyond what was observed.
/// </summary>
internal static class MaintenancePrediction
{
    public const int MinPoints = 3;
    public const string Ok = "ok", DueSoon = "due_soon", DueNow = "due_now", Fault = "fault";

    public static Prediction Predict(
        ComponentRule rule, IReadOnlyList<ConditionSample> history, ServiceInterval? interval, DateTimeOffset now, bool faulted, TimeSpan soonWithin,
        double soonWithinMetres)
    {
        var latest = history[^1];
        if (!rule.IsWearPart)
        {
            var levelState = faulted ? Fault
                : rule.NowBelow is { } nowBelow && latest.Value < nowBelow ? DueNow
                : rule.SoonBelow is { } soonBelow && latest.Value < soonBelow ? DueSoon
                : Ok;
            return new Prediction(levelState, null, null, null, 0, "condition");
        }
        var start = 0;
        for (var i = 1; i < history.Count; i++)
        {
            if (rule.IsRenewal(history[i - 1].Value, history[i].Value))
            {
                start = i;
            }
        }
        var points = history.Skip(start).ToList();
        var trend = Trend(rule, points);
        var byInterval = Interval(rule, interval, start > 0 ? points[0] : null, latest, Rate(points));
        var dueAt = Earliest(trend?.DueAt, byInterval.DueAt);
        var dueOdometer = Earliest(trend?.DueOdometer, byInterval.DueOdometer);
        var basis = (trend, byInterval.DueAt ?? (object?)byInterval.DueOdometer) switch
        {
            (not null, not null) => "trend_and_interval",
            (not null, null) => "trend",
            (null, not null) => "interval",
            _ => "condition",
        };
        var state = faulted ? Fault
            : rule.AtLimit(latest.Value) || dueAt <= now || dueOdometer <= latest.Odometer ? DueNow
            : dueAt <= now + soonWithin || dueOdometer <= latest.Odometer + soonWithinMetres ? DueSoon
            : Ok;
        return new Prediction(state, dueAt, dueOdometer is { } d ? Math.Round(d) : null, trend?.Confidence, trend is null ? 0 : points.Count, basis);
    }

    private sealed record TrendResult(DateTimeOffset? DueAt, double? DueOdometer, double Confidence);

    /// <summary>The better of the two fits extrapolated to the limit; null with too few points or no wear in the right direction.</summary>
    private static TrendResult? Trend(ComponentRule rule, List<ConditionSample> points)
    {
        if (points.Count < MinPoints)
        {
            return null;
        }
        var first = points[0];
        var last = points[^1];
        var rate = Rate(points);
        var sign = rule.Component.Direction == WearDirection.Rising ? 1 : -1;
        TrendResult? best = null;
        var bestR2 = double.NegativeInfinity;
        // Condition against distance (km since the first point).
        if (Fit(points.Select(p => ((p.Odometer - first.Odometer) / 1000, p.Value))) is { } byDistance && byDistance.Slope * sign > 0)
        {
            var limitKm = (rule.Limit - byDistance.Intercept) / byDistance.Slope;
            var dueOdometer = Math.Max(last.Odometer, first.Odometer + limitKm * 1000);
            var dueAt = rate > 0 ? last.RecordedAt.AddDays((dueOdometer - last.Odometer) / rate) : (DateTimeOffset?)null;
            var span = (last.Odometer - first.Odometer) / 1000;
            best = new TrendResult(dueAt, dueOdometer, Confidence(byDistance.R2, points.Count, span, (dueOdometer - last.Odometer) / 1000));
            bestR2 = byDistance.R2;
        }
        // Condition against time (days since the first point).
        if (Fit(points.Select(p => ((p.RecordedAt - first.RecordedAt).TotalDays, p.Value))) is { } byTime && byTime.Slope * sign > 0 && byTime.R2 > bestR2)
        {
            var limitDays = (rule.Limit - byTime.Intercept) / byTime.Slope;
            var dueAt = Max(last.RecordedAt, first.RecordedAt.AddDays(Math.Min(limitDays, 365 * 100)));
            var ahead = (dueAt - last.RecordedAt).TotalDays;
            var span = (last.RecordedAt - first.RecordedAt).TotalDays;
            best = new TrendResult(dueAt, rate > 0 ? last.Odometer + rate * ahead : null, Confidence(byTime.R2, points.Count, span, ahead));
        }
        return best;
    }

    /// <summary>The fixed interval counted from the part's renewal (seen in the history, or, for brake fluid, told by its age).</summary>
    private static (DateTimeOffset? DueAt, double? DueOdometer) Interval(
        ComponentRule rule, ServiceInterval? interval, ConditionSample? renewal, ConditionSample latest, double rate)
    {
        if (interval is null)
        {
            return (null, null);
        }
        var renewedAt = rule.Component == ComponentCatalog.BrakeFluidAge ? latest.RecordedAt.AddDays(-latest.Value) : renewal?.RecordedAt;
        var renewedOdometer = renewal?.Odometer ?? (rate > 0 && renewedAt is { } at ? latest.Odometer - rate * (latest.RecordedAt - at).TotalDays : null);
        return (interval.Months is { } months && renewedAt is { } from ? from.AddMonths(months) : null,
            interval.Kilometres is { } km && renewedOdometer is { } odometer ? odometer + km * 1000 : null);
    }

    /// <summary>Metres per day the car drives, from its odometer over time; 0 when unknown.</summary>
    private static double Rate(List<ConditionSample> points) =>
        points.Count >= 2 && Fit(points.Select(p => ((p.RecordedAt - points[0].RecordedAt).TotalDays, p.Odometer))) is { Slope: > 0 } fit ? fit.Slope : 0;

    private static double Confidence(double r2, int n, double span, double ahead) =>
        Math.Round(Math.Clamp(r2, 0, 1) * n / (n + 5.0) * (ahead <= span || ahead <= 0 ? 1 : Math.Sqrt(span / ahead)), 2);

    private readonly record struct LinearFit(double Intercept, double Slope, double R2);

    /// <summary>Ordinary least squares y = a + b·x; null when x does not vary.</summary>
    private static LinearFit? Fit(IEnumerable<(double X, double Y)> samples)
    {
        var list = samples.ToList();
        var n = list.Count;
        var meanX = list.Average(s => s.X);
        var meanY = list.Average(s => s.Y);
        double sxx = 0, sxy = 0, syy = 0;
        foreach (var (x, y) in list)
        {
            sxx += (x - meanX) * (x - meanX);
            sxy += (x - meanX) * (y - meanY);
            syy += (y - meanY) * (y - meanY);
        }
        if (n < 2 || sxx <= 1e-12)
        {
            return null;
        }
        var slope = sxy / sxx;
        var r2 = syy <= 1e-12 ? 0 : sxy * sxy / (sxx * syy);
        return new LinearFit(meanY - slope * meanX, slope, r2);
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static double? Earliest(double? a, double? b) => a is null ? b : b is null ? a : Math.Min(a.Value, b.Value);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
