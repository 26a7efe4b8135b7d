using System.Globalization;

namespace Pitwall.Simulator.Cli;

/// <summary>Reads "90", "90s", "15m", "2h" or "01:30:00".</summary>
internal static class DurationParser
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        text = text.Trim();
        if (text.Length == 0)
        {
            return false;
        }
        var unit = text[^1] switch
        {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            _ => 0,
        };
        var number = unit == 0 ? text : text[..^1];
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            if (value <= 0 || double.IsInfinity(value) || value * Math.Max(unit, 1) > TimeSpan.MaxValue.TotalSeconds / 2)
            {
                return false;
            }
            duration = TimeSpan.FromSeconds(value * Math.Max(unit, 1));
            return true;
        }
        return unit == 0 && TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out duration) && duration > TimeSpan.Zero;
    }
}
