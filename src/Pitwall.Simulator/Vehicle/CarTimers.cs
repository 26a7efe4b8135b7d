using System.Globalization;

namespace Pitwall.Simulator;

/// <summary>One timer slot as the car stores it: a time of day and either a date (one-off) or weekdays (recurring).</summary>
internal sealed record CarTimer(TimeOnly Time, DateOnly? Date, IReadOnlySet<DayOfWeek> Days, double? TargetLevel)
{
    private static readonly Dictionary<string, DayOfWeek> DayNames = new()
    {
        ["mon"] = DayOfWeek.Monday, ["tue"] = DayOfWeek.Tuesday, ["wed"] = DayOfWeek.Wednesday, ["thu"] = DayOfWeek.Thursday,
        ["fri"] = DayOfWeek.Friday, ["sat"] = DayOfWeek.Saturday, ["sun"] = DayOfWeek.Sunday,
    };

    /// <summary>Reads a timer command's parameters; null when they make no timer (the car refuses the command).</summary>
    public static CarTimer? Parse(IReadOnlyDictionary<string, string> parameters)
    {
        if (!parameters.TryGetValue("time", out var timeText) ||
            !TimeOnly.TryParseExact(timeText, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return null;
        }
        DateOnly? date = null;
        if (parameters.TryGetValue("date", out var dateText))
        {
            if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
            {
                return null;
            }
            date = d;
        }
        var days = new HashSet<DayOfWeek>();
        if (parameters.TryGetValue("days", out var daysText))
        {
            foreach (var name in daysText.Split(','))
            {
                if (!DayNames.TryGetValue(name, out var day))
                {
                    return null;
                }
                days.Add(day);
            }
        }
        double? target = parameters.TryGetValue("targetStateOfCharge", out var t) &&
                         double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var level) ? level : null;
        return (date is null) == (days.Count == 0) ? null : new CarTimer(time, date, days, target);
    }

    /// <summary>Whether the timer goes off in (<paramref name="after"/>, <paramref name="upTo"/>] (the car's clock is UTC).</summary>
    public bool FiresBetween(DateTimeOffset after, DateTimeOffset upTo)
    {
        for (var day = DateOnly.FromDateTime(after.UtcDateTime); day <= DateOnly.FromDateTime(upTo.UtcDateTime); day = day.AddDays(1))
        {
            if ((Date is { } date ? date == day : Days.Contains(day.DayOfWeek)) &&
                new DateTimeOffset(day.ToDateTime(Time), TimeSpan.Zero) is var at && at > after && at <= upTo)
            {
                return true;
            }
        }
        return false;
    }
}

/// <summary>Up to five timer slots (ids 1–5) of one kind.</summary>
internal sealed class CarTimers
{
    public const int Slots = 5;
    private readonly SortedDictionary<int, CarTimer> _slots = [];

    public int Count => _slots.Count;

    public IEnumerable<CarTimer> All => _slots.Values;

    public void Set(int slot, CarTimer timer) => _slots[slot] = timer;

    public void Delete(int slot) => _slots.Remove(slot);
}
