using System.Collections.Concurrent;

namespace Pitwall.Server.Features.Status;

/// <summary>Requests for fresh data that wait for the car's answer (a status report carrying the request id).</summary>
public sealed class RefreshWaiters
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);

    public Task Register(string requestId) =>
        _waiting.GetOrAdd(requestId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Answered(string requestId)
    {
        if (_waiting.TryRemove(requestId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    public void Forget(string requestId) => _waiting.TryRemove(requestId, out _);
}
