using Pitwall.Server.Features.SoftwareUpdates;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>A campaign's maintenance window: a daily range in its own time zone, over midnight when it ends before it starts.</summary>
public sealed class MaintenanceWindowTests
{
    [Theory]
    [InlineData("2026-12-06T23:30:00Z", true)] // 00:30 in Berlin (winter, UTC+1)
    [InlineData("2026-12-06T20:59:00Z", false)] // 21:59
    [InlineData("2026-12-06T21:00:00Z", true)] // 22:00: the start belongs to the window
    [InlineData("2026-12-07T04:00:00Z", false)] // 05:00: the end does not
    [InlineData("2026-07-06T03:30:00Z", false)] // 05:30 in summer (UTC+2)
    [InlineData("2026-07-06T02:30:00Z", true)] // 04:30 in summer
    public void A_window_over_midnight_is_open_from_its_start_to_its_end_in_local_time(string utc, bool open) =>
        Assert.Equal(open, new MaintenanceWindow("22:00", "05:00", "Europe/Berlin").IsOpen(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void A_window_within_a_day_in_utc_is_open_only_between_its_times()
    {
        var window = new MaintenanceWindow("01:00", "03:00", null);
        Assert.True(window.IsOpen(new DateTimeOffset(2026, 12, 6, 2, 59, 0, TimeSpan.Zero)));
        Assert.False(window.IsOpen(new DateTimeOffset(2026, 12, 6, 3, 0, 0, TimeSpan.Zero)));
        Assert.False(window.IsOpen(new DateTimeOffset(2026, 12, 6, 0, 59, 0, TimeSpan.Zero)));
    }

    [Theory]
    [InlineData("2026-12-06T20:00:00Z", "12:00:00", "00:20:00")] // 21:00 in Berlin, opens at 22:00: a third of an hour
    [InlineData("2026-12-06T20:00:00Z", "00:05:00", "00:05:00")] // never longer than the usual sleep
    [InlineData("2026-12-06T20:59:30Z", "12:00:00", "00:00:30")] // 30 s before: three polls would be 10 s apart, the minimum is 30 s
    [InlineData("2026-12-06T23:30:00Z", "12:00:00", "12:00:00")] // open: the usual sleep
    [InlineData("2026-12-07T05:00:00Z", "23:59:59", "05:20:00")] // 06:00, just closed: the next opening is 16 h away
    public void Outside_its_window_a_target_is_told_to_poll_three_times_before_it_opens_as_hawkbit_does(string utc, string sleep, string expected)
    {
        var window = new MaintenanceWindow("22:00", "05:00", "Europe/Berlin");
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        Assert.Equal(TimeSpan.Parse(expected, culture),
            window.PollingSleep(DateTimeOffset.Parse(utc, culture), TimeSpan.Parse(sleep, culture), TimeSpan.FromSeconds(30)));
    }
}
