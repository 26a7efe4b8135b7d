using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// Sees each stored status report inside the ingest transaction: the car's state before it and the values it brings
/// (already filtered by the privacy switches). Reacts to changes — e.g. a push when the driver must act — by adding
/// work to <c>afterCommit</c>, which runs only once the report is durable, and never for a batch that failed.
/// Called on the ingest writer's path: keep it cheap.
/// </summary>
public interface IStatusObserver
{
    void Observe(string vin, StatusReport before, IReadOnlyList<SignalValue> values, ICollection<Action> afterCommit);
}
