using System.Data.Common;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// The Car Security part of a car's configuration (TheftSettings): composed from what is stored at that moment (the owner's
/// switched-off reasons, the SOC's interval, the tracking the cloud asks for, the incident it ended) and queued in the same
/// transaction as the change that calls for it, so the car's copy never lags behind a committed change.
/// </summary>
public sealed class TheftConfiguration(IVehicleLink link, TimeProvider time)
{
    public static readonly TimeSpan FrameLifetime = TimeSpan.FromDays(30);

    /// <summary>Runs <paramref name="work"/> and, unless it returns default, queues the car's new settings with it.</summary>
    public Task<T> ChangeAsync<T>(string vin, Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            var result = await work(c, t);
            if (!EqualityComparer<T>.Default.Equals(result, default))
            {
                var now = time.GetUtcNow();
                await enqueue(new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Configuration = new Configuration { Theft = await ComposeAsync(c, t, vin, now) } },
                    now + FrameLifetime);
            }
            return result;
        }, cancellationToken);

    internal static async Task<TheftSettings> ComposeAsync(DbConnection c, DbTransaction t, string vin, DateTimeOffset now)
    {
        var (suspended, interval) = await TheftCaseStore.SettingsAsync(c, t, vin);
        var settings = new TheftSettings
        {
            TrackingIntervalSeconds = (uint)Math.Max(0, interval),
            RequestedIncidentId = await TheftCaseStore.RequestedIncidentAsync(c, t, vin) ?? "",
            EndedIncidentId = await TheftCaseStore.LastClosedIncidentAsync(c, t, vin) ?? "",
        };
        foreach (var (reason, until) in suspended.Where(s => s.Value > now).OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            settings.SuspendedTriggers.Add(new SuspendedTrigger { Reason = TheftReasons.ToProto(reason), UntilMs = until.ToUnixTimeMilliseconds() });
        }
        return settings;
    }
}
