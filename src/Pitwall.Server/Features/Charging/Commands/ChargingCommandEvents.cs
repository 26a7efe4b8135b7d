using Pitwall.Server.Features.LiveEvents;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>Each change of a charging command that the operator caused (its answer, the charge point's result) goes to the account's
/// apps live as <c>charging.command</c>, the same object as <c>GET …/charging-commands/{id}</c>.</summary>
internal sealed class ChargingCommandEvents(ChargingCommandStore store, LiveEventHub hub, TimeProvider time)
{
    public const string EventType = "charging.command";

    public async Task PublishAsync(string id, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is { } command)
        {
            var now = time.GetUtcNow();
            hub.Publish(new LiveEvent(command.Vin, EventType, ChargingCommandEndpoints.From(command, now), now, command.AccountId));
        }
    }
}
