using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;

namespace Pitwall.Server.Web;

/// <summary>A value at a time, one point of a <see cref="LineChart"/>.</summary>
internal readonly record struct ChartPoint(DateTimeOffset At, double Value);

/// <summary>
/// The portal's charts: a line of values over time as inline SVG, drawn on the server — no script, no library, readable by a
/// screen reader through its title (what the line shows, from where to where), and printable. The page styles it (<c>.chart</c>
/// in portal.css); the SVG scales to its container's width.
/// </summary>
internal static class LineChart
{
    private const double Width = 320, Height = 140, Left = 40, Right = 8, Top = 8, Bottom = 22;

    /// <param name="title">What the chart shows, for the screen reader (the SVG's title).</param>
    /// <param name="unit">The values' unit, on the axis.</param>
    /// <param name="range">The value axis; null = the points' own range with a margin.</param>
    /// <param name="marker">A time to mark with a dashed line (e.g. a predicted date); the time axis reaches out to it when that at
    /// most doubles the span, else it is left out.</param>
    public static IHtmlContent Svg(string id, string title, IReadOnlyList<ChartPoint> points, string unit, (double Min, double Max)? range = null,
        DateTimeOffset? marker = null)
    {
        var (min, max) = range ?? Span(points);
        var first = points.Count > 0 ? points[0].At : DateTimeOffset.UnixEpoch;
        var last = points.Count > 0 ? points[^1].At : first;
        var end = marker is { } m && m > last && m - first <= 2 * (last - first) ? m : last;
        var seconds = Math.Max((end - first).TotalSeconds, 1);
        double X(DateTimeOffset at) => Left + (Width - Left - Right) * (at - first).TotalSeconds / seconds;
        double Y(double value) => Top + (Height - Top - Bottom) * (1 - (Math.Clamp(value, min, max) - min) / (max - min));

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg class=\"chart\" id=\"{Html(id)}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-labelledby=\"{Html(id)}-title\" data-points=\"{points.Count}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title id=\"{Html(id)}-title\">{Html(title)}</title>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<path class=\"axis\" d=\"M{Left} {Top} V{Height - Bottom} H{Width - Right}\"/>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{Top + 8}\" text-anchor=\"end\">{Html(Number(max))}</text>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{Height - Bottom}\" text-anchor=\"end\">{Html(Number(min))}</text>");
        svg.Append(CultureInfo.InvariantCulture,
            $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{(Height - Bottom + Top) / 2 + 4}\" text-anchor=\"end\">{Html(unit)}</text>");
        if (points.Count > 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Left}\" y=\"{Height - 6}\">{Day(first)}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"tick\" x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\">{Day(end)}</text>");
            svg.Append("<polyline class=\"line\" points=\"");
            svg.AppendJoin(' ', points.Select(p => $"{Coordinate(X(p.At))},{Coordinate(Y(p.Value))}"));
            svg.Append("\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{Coordinate(X(last))}\" cy=\"{Coordinate(Y(points[^1].Value))}\" r=\"3\"/>");
        }
        if (marker is { } at && at >= first && at <= end)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<path class=\"marker\" d=\"M{Coordinate(X(at))} {Top} V{Height - Bottom}\"/>");
        }
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    /// <summary>The points' range with a tenth of it (at least 1) as margin on each side.</summary>
    private static (double Min, double Max) Span(IReadOnlyList<ChartPoint> points)
    {
        if (points.Count == 0)
        {
            return (0, 1);
        }
        var (low, high) = (points.Min(p => p.Value), points.Max(p => p.Value));
        var margin = Math.Max((high - low) / 10, 1);
        return (Math.Floor(low - margin), Math.Ceiling(high + margin));
    }

    private static string Coordinate(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Html(string text) => HtmlEncoder.Default.Encode(text);
}
