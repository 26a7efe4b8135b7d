using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Trips.History;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Trips;

/// <summary>
/// Stores the trip statistics the car sends at every engine stop and trip reset (REQUIREMENTS C3): each term present
/// overwrites the stored one, unless the stored one is newer; with the owner's consent each drive also goes to the trip history. Nothing is stored in private mode or with
/// Trip Control (or the group of services without location) switched off in the car (P1, P2).
/// </summary>
internal sealed class TripMessageHandler(LiveEventHub hub, UsageStatistics.UsageStatistics usage, Privacy.IServiceAccess access, TimeProvider time)
    : IVehicleMessageHandler, IVehicleAccessListener
{
    // What the current batch stored, announced once it is durable; owned by the single ingest writer.
    private readonly List<(string Vin, string Cause)> _stored = [];

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.TripStatistics;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        _stored.Clear();
        var now = time.GetUtcNow();
        foreach (var message in messages)
        {
            if (!access.ForCarData(ServiceIds.TripControl, message.Privacy).Allowed)
            {
                continue; // private mode or Trip Control switched off: discarded, never stored
            }
            var trip = message.Envelope.TripStatistics;
            var recordedAt = trip.RecordedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(trip.RecordedAtMs) : message.ReceivedAt;
            var stored = false;
            foreach (var (term, figures) in new[] { (TripTerm.ShortTerm, trip.ShortTerm), (TripTerm.LongTerm, trip.LongTerm) })
            {
                if (figures is not null && Valid(figures, recordedAt) is { } valid)
                {
                    await TripStore.SaveAsync(connection, transaction, message.Vin, term, valid, now);
                    stored = true;
                    if (term == TripTerm.ShortTerm && trip.Cause != TripStatistics.Types.Cause.Reset &&
                        await Consents.IsGivenAsync(connection, transaction, message.Vin, TripHistory.Purpose, scope: null))
                    {
                        await TripHistoryStore.SaveDriveAsync(connection, transaction, message.Vin, valid); // a drive ended: its line in the history
                    }
                }
            }
            if (stored)
            {
                _stored.Add((message.Vin, trip.Cause == TripStatistics.Types.Cause.Reset ? "reset" : "engine_stop"));
            }
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        var now = time.GetUtcNow();
        foreach (var (vin, cause) in _stored)
        {
            usage.Record(ServiceIds.TripControl, UsageStatistics.UsageChannel.Car); // C8: once durable, never twice on a retry
            hub.Publish(new LiveEvent(vin, "vehicle.trips", new { vin, cause }, now));
        }
    }

    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is not null)
        {
            return; // a driver left: the car's statistics stay for its other users
        }
        await TripStore.DeleteAsync(connection, transaction, vin); // a new owner never sees the previous owner's drives
    }

    /// <summary>The figures as stored, or null when they make no sense (negative, not a number); a car's bad data must not fail the batch.</summary>
    private static StoredTrip? Valid(TripFigures f, DateTimeOffset recordedAt)
    {
        if (!Sane(f.DistanceM) || !Sane(f.AverageSpeedMps))
        {
            return null;
        }
        return new StoredTrip(
            f.StartedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(f.StartedAtMs) : recordedAt, f.DurationS, f.DistanceM, f.AverageSpeedMps,
            f.HasAverageFuelConsumptionLPer100Km && Sane(f.AverageFuelConsumptionLPer100Km) ? f.AverageFuelConsumptionLPer100Km : null,
            f.HasAverageElectricConsumptionKwhPer100Km && Sane(f.AverageElectricConsumptionKwhPer100Km) ? f.AverageElectricConsumptionKwhPer100Km : null,
            recordedAt);
    }

    private static bool Sane(double value) => double.IsFinite(value) && value >= 0;
}
