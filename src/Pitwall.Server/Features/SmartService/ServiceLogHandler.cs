using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// Stores the service logs the cars send (F1) in the ingest batch's transaction, so the car's ack follows only once a log is
/// durable. Nothing is stored in private mode or with the service <c>maintenance</c> (or the group of services without location)
/// switched off in the car (P1, P2). The product-observation copy gets the installation's market; the prediction job settles the owner's (<see cref="CarMarkets"/>). When a car leaves its users, its Smart Service data goes and its product observation
/// stays without the VIN.
/// </summary>
internal sealed class ServiceLogHandler(
    Privacy.IServiceAccess access, CarMarkets markets, IVehicleDirectory vehicles, LiveEventHub hub, UsageStatistics.UsageStatistics usage, TimeProvider time)
    : IVehicleMessageHandler, IVehicleAccessListener
{
    // What the current batch stored, announced once durable; owned by the single ingest writer.
    private readonly List<string> _stored = [];

    public Envelope.PayloadOneofCase Handles => Envelope.PayloadOneofCase.ServiceLog;

    public async Task PersistAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<InboundMessage> messages)
    {
        _stored.Clear();
        var now = time.GetUtcNow();
        // Provisional: the prediction job settles the row's market (the owner's) soon, off this single writer's path.
        var market = markets.DefaultMarket;
        var deleteAfter = markets.DeleteAfter(market, now);
        foreach (var message in messages)
        {
            if (!access.ForCarData(ServiceIds.Maintenance, message.Privacy).Allowed)
            {
                continue; // private mode or the service switched off: discarded, never stored
            }
            await ServiceLogStore.SaveAsync(connection, transaction, message.Vin, message.Seq, message.Envelope.ServiceLog, now, (market, deleteAfter));
            _stored.Add(message.Vin);
        }
    }

    public void Committed(IReadOnlyList<InboundMessage> messages)
    {
        var now = time.GetUtcNow();
        foreach (var vin in _stored)
        {
            usage.Record(ServiceIds.Maintenance, UsageStatistics.UsageChannel.Car);
            hub.Publish(new LiveEvent(vin, "vehicle.service_log", new { vin }, now));
        }
    }

    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        CarMarkets.UsersChanged(transaction);
        if (accountId is null)
        {
            if (await vehicles.FindAsync(vin, CancellationToken.None) is { } vehicle)
            {
                // The leaving owner's market, read before the change commits (rare: unpairing, erasure).
                await markets.SettleAsync(connection, transaction, vehicle, await markets.MarketOfAsync(vin, CancellationToken.None));
            }
            await ServiceLogStore.ForgetCarAsync(connection, transaction, vin);
        }
    }

    /// <summary>A new owner brings their market (<see cref="CarMarkets"/>) for the logs from now on.</summary>
    public Task OnAccessGrantedAsync(DbConnection connection, DbTransaction transaction, string vin, string accountId, VehicleRole role)
    {
        CarMarkets.UsersChanged(transaction);
        return Task.CompletedTask;
    }
}
