using System.Data.Common;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// Sees each stored status report inside the ingest transaction: the car's state before it and the values it brings
/// (already filtered by the privacy switches). Reacts to changes — e.g. a push when the driver must act — by writing in
/// that transaction (the notification outbox), so nothing happens for a batch that failed and nothing is lost.
/// Called on the ingest writer's path: keep it cheap.
/// </summary>
public interface IStatusObserver
{
    Task ObserveAsync(DbConnection connection, DbTransaction transaction, InboundMessage message, StatusReport before, IReadOnlyList<SignalValue> values);
}
