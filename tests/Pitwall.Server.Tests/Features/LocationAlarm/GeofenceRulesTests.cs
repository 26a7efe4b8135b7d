using Pitwall.Server.Features.LocationAlarm;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Tests.Features.LocationAlarm;

/// <summary>The location alarm's numbers, geometry and active hours, without a server.</summary>
public sealed class GeofenceRulesTests
{
    [Theory]
    [InlineData(100, 150)]     // the 50 m floor
    [InlineData(500, 550)]     // 10 % = 50 m
    [InlineData(2000, 2200)]   // 10 %
    [InlineData(50_000, 55_000)]
    public void The_exit_radius_is_the_radius_plus_the_larger_of_50_metres_and_a_tenth(double radius, double exit) =>
        Assert.Equal(exit, GeofenceRules.ExitRadius(radius));

    [Fact]
    public void Distances_are_great_circle_metres()
    {
        Assert.Equal(0, GeofenceRules.DistanceMetres(48.7758, 9.1829, 48.7758, 9.1829));
        Assert.InRange(GeofenceRules.DistanceMetres(48.7758, 9.1829, 48.7758 + 1000 / 111_195.0, 9.1829), 999, 1001); // 1 km north
        Assert.InRange(GeofenceRules.DistanceMetres(48.7758, 9.1829, 52.5200, 13.4050), 500_000, 515_000);       // Stuttgart–Berlin
    }

    private static DateTimeOffset Berlin(int year, int month, int day, int hour, int minute) =>
        TimeZoneInfo.ConvertTimeToUtc(new DateTime(year, month, day, hour, minute, 0), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));

    [Fact]
    public void Active_hours_count_in_the_areas_time_zone_and_may_run_overnight()
    {
        var office = new ActiveHours(["mon", "fri"], new TimeOnly(8, 0), new TimeOnly(18, 0), "Europe/Berlin");
        Assert.True(office.Covers(Berlin(2026, 7, 6, 8, 0)));    // Monday 08:00, summer time
        Assert.False(office.Covers(Berlin(2026, 7, 6, 18, 0)));  // the end is not included
        Assert.False(office.Covers(Berlin(2026, 7, 7, 12, 0)));  // Tuesday
        Assert.True(office.Covers(Berlin(2026, 1, 9, 17, 59)));  // Friday, winter time

        var night = new ActiveHours(["fri"], new TimeOnly(22, 0), new TimeOnly(6, 0), "Europe/Berlin");
        Assert.True(night.Covers(Berlin(2026, 7, 10, 23, 30)));  // Friday night
        Assert.True(night.Covers(Berlin(2026, 7, 11, 5, 59)));   // Saturday morning, the same night
        Assert.False(night.Covers(Berlin(2026, 7, 11, 22, 30))); // Saturday night
        Assert.False(night.Covers(Berlin(2026, 7, 10, 5, 0)));   // Friday morning belongs to Thursday's night
    }

    [Fact]
    public void A_valid_request_becomes_a_draft_and_notify_defaults_to_both()
    {
        var errors = new ValidationErrors();
        var draft = GeofenceRules.Validate(new GeofenceRequest(" Home ", 48.7758, 9.1829, 100, null,
            new ActiveHoursRequest(["sun", "mon"], "22:00", "06:00", "America/New_York")), errors);
        Assert.False(errors.Any);
        Assert.Equal(("Home", "both"), (draft!.Name, draft.Notify));
        Assert.Equal(new[] { "mon", "sun" }, draft.ActiveHours!.Days);
    }
}
