using System.Globalization;
using System.Text.RegularExpressions;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// Finds VINs and geographic positions in free text and replaces them, for processors that may not receive them. Errs on
/// the side of removing: a false positive costs a word of a notification, a false negative a person's whereabouts.
/// </summary>
internal static partial class TextRedaction
{
    public const string VinReplacement = "[VIN removed]";
    public const string PositionReplacement = "[position removed]";

    /// <summary>17 characters of a VIN's alphabet (no I, O, Q) with at least one letter and one digit, standing alone.</summary>
    [GeneratedRegex(@"(?<![A-Za-z0-9])(?=[A-HJ-NPR-Za-hj-npr-z0-9]{0,16}[0-9])(?=[0-9]{0,16}[A-HJ-NPR-Za-hj-npr-z])[A-HJ-NPR-Za-hj-npr-z0-9]{17}(?![A-Za-z0-9])",
        RegexOptions.CultureInvariant)]
    private static partial Regex VinPattern();

    /// <summary>Two decimal degrees with at least three decimals each (about 100 m), optionally with ° and hemisphere
    /// letters, separated by a comma, semicolon, slash or blanks: "48.7758, 9.1829", "48.7758°N 9.1829°E", "geo:48.7758,9.1829".
    /// A sentence's full stop may follow; another digit group may not (that is a version number).</summary>
    [GeneratedRegex(@"(?<![\w.])(?<lat>[-+−]?\d{1,3}\.\d{3,})\s?°?\s?(?<ns>[NSns])?(?:\s*[,;/]\s*|\s+)(?<lon>[-+−]?\d{1,3}\.\d{3,})\s?°?\s?(?<ew>[EWOewo])?(?!\w)(?!\.\d)",
        RegexOptions.CultureInvariant)]
    private static partial Regex DecimalPairPattern();

    /// <summary>Degrees, minutes and optionally seconds with hemispheres: 48°46'33"N 9°10'58"E.</summary>
    [GeneratedRegex(@"\d{1,2}\s?°\s?\d{1,2}\s?['′]\s?(?:\d{1,2}(?:[.,]\d+)?\s?(?:""|″|'')\s?)?[NSns]\s*[,;/]?\s*\d{1,3}\s?°\s?\d{1,2}\s?['′]\s?(?:\d{1,2}(?:[.,]\d+)?\s?(?:""|″|'')\s?)?[EWOewo]",
        RegexOptions.CultureInvariant)]
    private static partial Regex DegreesMinutesPattern();

    /// <summary>A labelled coordinate with decimals, one at a time: "lat=48.77", "longitude: 9.18", "lng 9.18".</summary>
    [GeneratedRegex(@"\b(?<label>lat(?:itude)?|lng|lon(?:g(?:itude)?)?)(?<sep>\s*[:=]\s*|\s+)[-+−]?\d{1,3}\.\d+(?:\s?°)?",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex LabelledPattern();

    /// <summary>The text with every VIN replaced by <see cref="VinReplacement"/>; <paramref name="found"/> counts them.</summary>
    public static string RedactVins(string text, out int found)
    {
        var count = 0;
        var result = VinPattern().Replace(text, _ =>
        {
            count++;
            return VinReplacement;
        });
        found = count;
        return result;
    }

    /// <summary>The text with every position replaced by <see cref="PositionReplacement"/>; <paramref name="found"/> counts them.</summary>
    public static string RedactPositions(string text, out int found)
    {
        var count = 0;
        var result = DecimalPairPattern().Replace(text, m =>
        {
            if (!IsPosition(m))
            {
                return m.Value;
            }
            count++;
            return PositionReplacement;
        });
        result = DegreesMinutesPattern().Replace(result, _ =>
        {
            count++;
            return PositionReplacement;
        });
        result = LabelledPattern().Replace(result, m =>
        {
            count++;
            return m.Groups["label"].Value + m.Groups["sep"].Value + PositionReplacement;
        });
        found = count;
        return result;
    }

    /// <summary>A pair is a position when its numbers are in range as latitude and longitude, in either order (GeoJSON puts
    /// the longitude first).</summary>
    private static bool IsPosition(Match m) =>
        Degrees(m.Groups["lat"].Value) is { } first && Degrees(m.Groups["lon"].Value) is { } second &&
        ((Math.Abs(first) <= 90 && Math.Abs(second) <= 180) || (Math.Abs(first) <= 180 && Math.Abs(second) <= 90));

    private static double? Degrees(string text) =>
        double.TryParse(text.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
