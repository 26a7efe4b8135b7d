using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Trips.History;

/// <summary>
/// The trip history (REQUIREMENTS C3 keeps only the latest statistics; P5): kept only while the owner consents for the car
/// (purpose <see cref="Purpose"/>), each drive and the charge level for <see cref="RetentionDays"/> days, deleted when the
/// consent goes. Shared by the API and the portal.
/// </summary>
public sealed class TripHistory(TripHistoryStore store, Consents consents, ChargeLevelSampler sampler, IVehicleLink link, IServiceAccess access, TimeProvider time)
{
    public const string Purpose = "trip_history";
    public const string Scope = "drives and charge level";
    public const int RetentionDays = 90;

    public Task<bool> IsKeptAsync(string vin, CancellationToken cancellationToken) =>
        consents.IsGivenAsync(vin, Purpose, scope: null, cancellationToken);

    /// <summary>The last <paramref name="days"/> days, never from before <paramref name="accessSince"/> (a new user of the car
    /// does not see its earlier drives).</summary>
    public async Task<TripHistoryResponse> ReadAsync(string vin, DateTimeOffset accessSince, int days, CancellationToken cancellationToken)
    {
        var from = time.GetUtcNow().AddDays(-Math.Clamp(days, 1, RetentionDays));
        from = from < accessSince ? accessSince : from;
        var kept = await IsKeptAsync(vin, cancellationToken);
        var info = await link.InfoAsync(vin, cancellationToken);
        var withheld = info is null ? null : access.ForCarData(Protocol.ServiceIds.TripControl, info.Privacy).Code;
        if (!kept || withheld is not null)
        {
            return new(vin, kept, RetentionDays, from, withheld, [], []);
        }
        var (drives, levels) = await store.ReadAsync(vin, from, cancellationToken);
        return new(vin, kept, RetentionDays, from, null,
            [.. drives.Select(d => new TripDriveResponse(d.StartedAt, d.RecordedAt, d.DurationSeconds, d.DistanceMetres, d.AverageSpeedMetresPerSecond,
                d.FuelLitresPer100Km, d.ElectricKwhPer100Km))],
            [.. levels.Select(l => new ChargeLevelResponse(l.At, l.Percent))]);
    }

    /// <summary>Starts keeping the history (gives the account's consent through <paramref name="channel"/>) or stops it (withdraws
    /// the account's consents, which deletes the history once none is left).</summary>
    public async Task SetKeptAsync(string accountId, string vin, bool keep, string channel, CancellationToken cancellationToken)
    {
        var mine = (await consents.ListAsync(accountId, cancellationToken)).Where(c => c.Vin == vin && c.Purpose == Purpose && c.WithdrawnAt is null).ToList();
        if (keep && mine.Count == 0)
        {
            await consents.GrantAsync(accountId, vin, Purpose, Scope, channel, cancellationToken);
            sampler.Forget(vin);
        }
        if (!keep)
        {
            foreach (var consent in mine)
            {
                await consents.WithdrawAsync(accountId, consent.Id, cancellationToken);
            }
        }
    }
}
