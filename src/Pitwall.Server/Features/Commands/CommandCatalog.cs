using System.Globalization;
using System.Text.RegularExpressions;
using Pitwall.Protocol;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Commands;

/// <summary>The command types (C4, C5, C6, C7): which service each belongs to, who may send it, what parameters it takes.</summary>
internal static partial class CommandCatalog
{
    public sealed record CommandType(
        string Name, string Service, bool PrimaryOnly, IReadOnlyList<string> Keys, Action<IReadOnlyDictionary<string, string>, ValidationErrors> Validate);

    public const int MaxParameterLength = 64;

    /// <summary>Only the type's own parameters, none null, none long; then the type's rules.</summary>
    public static void ValidateParameters(CommandType type, IReadOnlyDictionary<string, string?> parameters, ValidationErrors errors)
    {
        foreach (var (key, value) in parameters)
        {
            if (!type.Keys.Contains(key))
            {
                errors.Add($"parameters.{key}", type.Keys.Count == 0 ? "This command takes no parameters." : $"Parameters of {type.Name}: {string.Join(", ", type.Keys)}.");
            }
            else if (value is null || value.Length > MaxParameterLength)
            {
                errors.Add($"parameters.{key}", $"A parameter is a string of at most {MaxParameterLength} characters.");
            }
        }
        if (!errors.Any)
        {
            type.Validate(parameters.ToDictionary(p => p.Key, p => p.Value!), errors);
        }
    }

    private static readonly Action<IReadOnlyDictionary<string, string>, ValidationErrors> NoParameters = (_, _) => { };
    private static readonly string[] None = [];
    private static readonly string[] ClimateKeys = ["targetTemperature", "zones"];
    private static readonly string[] ChargeSettingsKeys = ["targetStateOfCharge"];
    private static readonly string[] ChargeTimerKeys = ["timerId", "time", "date", "days", "targetStateOfCharge"];
    private static readonly string[] ClimateTimerKeys = ["timerId", "time", "date", "days"];
    private static readonly string[] TimerIdKey = ["timerId"];

    public static IReadOnlyDictionary<string, CommandType> Types { get; } = new[]
    {
        new CommandType("lock", ServiceIds.RemoteLock, false, None, NoParameters),
        new CommandType("unlock", ServiceIds.RemoteLock, false, None, NoParameters),
        new CommandType("honk_flash", ServiceIds.RemoteHornAndLights, false, None, NoParameters),
        new CommandType("flash", ServiceIds.RemoteHornAndLights, false, None, NoParameters),
        new CommandType("climate_start", ServiceIds.Climate, false, ClimateKeys, (p, e) =>
        {
            Number(p, "targetTemperature", 15, 30, e, required: true);
            if (p.TryGetValue("zones", out var zones) && zones.Split(',').Any(z => z is not ("front_left" or "front_right" or "rear_left" or "rear_right")))
            {
                e.Add("parameters.zones", "Zones are front_left, front_right, rear_left, rear_right, comma-separated.");
            }
        }),
        new CommandType("climate_stop", ServiceIds.Climate, false, None, NoParameters),
        new CommandType("charge_start", ServiceIds.EControl, false, None, NoParameters),
        new CommandType("charge_stop", ServiceIds.EControl, false, None, NoParameters),
        new CommandType("charge_settings", ServiceIds.EControl, true, ChargeSettingsKeys, (p, e) => Number(p, "targetStateOfCharge", 25, 100, e, required: true)),
        new CommandType("charge_timer_set", ServiceIds.EControl, true, ChargeTimerKeys, (p, e) => Timer(p, e, withTargetStateOfCharge: true)),
        new CommandType("charge_timer_delete", ServiceIds.EControl, true, TimerIdKey, (p, e) => Number(p, "timerId", 1, 5, e, required: true)),
        new CommandType("climate_timer_set", ServiceIds.Climate, false, ClimateTimerKeys, (p, e) => Timer(p, e, withTargetStateOfCharge: false)),
        new CommandType("climate_timer_delete", ServiceIds.Climate, false, TimerIdKey, (p, e) => Number(p, "timerId", 1, 5, e, required: true)),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    private static void Timer(IReadOnlyDictionary<string, string> p, ValidationErrors e, bool withTargetStateOfCharge)
    {
        Number(p, "timerId", 1, 5, e, required: true);
        if (!p.TryGetValue("time", out var time) || !TimeOfDay().IsMatch(time))
        {
            e.Add("parameters.time", "The time is HH:mm.");
        }
        var hasDate = p.TryGetValue("date", out var date);
        var hasDays = p.TryGetValue("days", out var days);
        if (hasDate && hasDays)
        {
            e.Add("parameters", "A timer is one-off (date) or recurring (days), not both.");
        }
        else if (!hasDate && !hasDays)
        {
            e.Add("parameters", "Choose the days to repeat the timer on, or a date for a one-off timer.");
        }
        if (hasDate && !DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            e.Add("parameters.date", "The date is yyyy-MM-dd.");
        }
        if (hasDays && (days!.Length == 0 || days.Split(',').Any(d => d is not ("mon" or "tue" or "wed" or "thu" or "fri" or "sat" or "sun"))))
        {
            e.Add("parameters.days", "Days are mon..sun, comma-separated.");
        }
        if (withTargetStateOfCharge)
        {
            Number(p, "targetStateOfCharge", 25, 100, e, required: true);
        }
    }

    private static void Number(IReadOnlyDictionary<string, string> p, string name, double min, double max, ValidationErrors e, bool required)
    {
        if (!p.TryGetValue(name, out var text))
        {
            if (required)
            {
                e.Add($"parameters.{name}", string.Create(CultureInfo.InvariantCulture, $"Enter a number from {min} to {max}."));
            }
            return;
        }
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max || double.IsNaN(value))
        {
            e.Add($"parameters.{name}", string.Create(CultureInfo.InvariantCulture, $"Enter a number from {min} to {max}.")); // the field says which
        }
    }

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex TimeOfDay();
}
