namespace Pitwall.Bench;

/// <summary>A command's final state as its owner's event stream told it, and when (Stopwatch ticks).</summary>
internal readonly record struct CommandOutcome(string State, long At);

/// <summary>
/// Matches the final <c>vehicle.command</c> events (performed, failed, expired) from the owners' event streams with the
/// commands waiting for them. The event can arrive before the POST's 202 has been read (the server hands the command to
/// the car before it answers), so an event nobody waits for yet is kept until its command asks.
/// </summary>
internal sealed class CommandTracker
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskCompletionSource<CommandOutcome>> _waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CommandOutcome> _early = new(StringComparer.Ordinal);

    public static bool IsFinal(string? state) => state is "performed" or "failed" or "expired";

    /// <summary>Final events nobody claimed: commands that timed out here, or whose POST failed on this side.</summary>
    public int Unclaimed
    {
        get
        {
            lock (_lock)
            {
                return _early.Count;
            }
        }
    }

    public Task<CommandOutcome> WaitFor(string id)
    {
        lock (_lock)
        {
            if (_early.Remove(id, out var outcome))
            {
                return Task.FromResult(outcome);
            }
            var waiter = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[id] = waiter;
            return waiter.Task;
        }
    }

    /// <summary>Gives up on a command (timed out): a late event for it is kept as unclaimed.</summary>
    public void Forget(string id)
    {
        lock (_lock)
        {
            _waiting.Remove(id);
        }
    }

    public void OnFinal(string id, string state, long at)
    {
        TaskCompletionSource<CommandOutcome>? waiter;
        lock (_lock)
        {
            if (!_waiting.Remove(id, out waiter))
            {
                _early[id] = new CommandOutcome(state, at);
                return;
            }
        }
        waiter.TrySetResult(new CommandOutcome(state, at));
    }
}
