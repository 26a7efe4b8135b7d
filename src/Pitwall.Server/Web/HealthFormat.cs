using System.Globalization;

namespace Pitwall.Server.Web;

/// <summary>How the pages write a car's health: a condition with its unit, a mileage, a day, a confidence.</summary>
internal static class HealthFormat
{
    public static string Value(double value, string unit) => $"{value.ToString("0.#", CultureInfo.InvariantCulture)} {unit}";

    public static string Kilometres(double metres) => $"{(metres / 1000).ToString("#,0", CultureInfo.InvariantCulture)} km";

    public static string Day(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);
}
