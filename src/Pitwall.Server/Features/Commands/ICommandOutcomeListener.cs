using System.Data.Common;

namespace Pitwall.Server.Features.Commands;

/// <summary>
/// Told, inside the transaction that records it, that the car performed a command: features that keep what the car
/// confirmed (e.g. its timers) store it exactly once, together with the outcome.
/// </summary>
public interface ICommandOutcomeListener
{
    Task OnPerformedAsync(DbConnection connection, DbTransaction transaction, CommandRecord command);
}
