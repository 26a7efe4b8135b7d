using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// E4: every car with Car Security sends a health check a month. This job flags each car whose last check (or, for a car
/// that never sent one, the start of its cover) lies more than the period plus a grace in the past, tells the owner and the
/// SOC, and flags it again a period later if it still has not checked in. One instance at a time (lease); idempotent.
/// </summary>
internal sealed partial class HealthCheckJob(
    Database database, TheftCaseStore store, ICarSecurityContacts contracts, INotifier notifier, SocFeed feed, Leases leases, IOptions<CarSecurityOptions> options,
    TimeProvider time, ILogger<HealthCheckJob> logger) : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "car_security.health_checks";

    protected override TimeSpan Interval => options.Value.HealthCheckJobInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var limit = options.Value.HealthCheckPeriod + options.Value.HealthCheckGrace;
        var states = await store.HealthChecksAsync(cancellationToken);
        var flagged = 0;
        foreach (var (vin, since) in await contracts.CoveredVehiclesAsync(now, cancellationToken))
        {
            var state = states.GetValueOrDefault(vin);
            var last = Max(since, Max(state?.LastCheckAt, state?.FlaggedAt));
            if (now - last <= limit)
            {
                continue;
            }
            var done = await database.WriteAsync(async (c, t) =>
            {
                if (!await TheftCaseStore.FlagMissedAsync(c, t, vin, state, now))
                {
                    return false; // checked in or flagged meanwhile
                }
                await notifier.NotifyAsync(c, t, new Notification(vin, TheftNotifications.TheftHealthCheckMissed.Id,
                    NotificationText.Of(TheftNotifications.HealthCheckMissedText),
                    now, $"health:{now.ToUnixTimeMilliseconds()}"));
                var lastCheck = state?.LastCheckAt;
                Database.AfterCommit(t, () => feed.Publish(new SocEvent("soc.health_check_missed", new MissedHealthCheckResponse(vin, lastCheck, now))));
                return true;
            }, cancellationToken);
            flagged += done ? 1 : 0;
        }
        if (flagged > 0)
        {
            LogFlagged(logger, flagged);
        }
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} cars missed their Car Security health check")]
    private static partial void LogFlagged(ILogger logger, int count);
}
