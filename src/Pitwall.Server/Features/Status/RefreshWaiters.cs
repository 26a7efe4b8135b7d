using System.Collections.Concurrent;
using System.Text;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Features.Status;

/// <summary>
/// Requests for fresh data that wait for the car's answer (a status report carrying the request id). The car answers to
/// the instance that holds it, which may not be the one the request came through: an answer nobody here waits for is
/// told to the other instances (issue 19).
/// </summary>
public sealed class RefreshWaiters(IClusterBus bus) : IHostedService
{
    private const string AnsweredSubject = "pitwall.refresh.answered";
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiting = new(StringComparer.Ordinal);
    private IAsyncDisposable? _subscription;

    public Task Register(string requestId) =>
        _waiting.GetOrAdd(requestId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public void Answered(string requestId)
    {
        if (!AnsweredHere(requestId) && bus.Enabled)
        {
            _ = bus.PublishAsync(AnsweredSubject, Encoding.UTF8.GetBytes(requestId)).AsTask();
        }
    }

    private bool AnsweredHere(string requestId)
    {
        if (_waiting.TryRemove(requestId, out var waiter))
        {
            waiter.TrySetResult();
            return true;
        }
        return false;
    }

    public void Forget(string requestId) => _waiting.TryRemove(requestId, out _);

    Task IHostedService.StartAsync(CancellationToken cancellationToken)
    {
        if (bus.Enabled)
        {
            _subscription = bus.Subscribe(AnsweredSubject, data =>
            {
                AnsweredHere(Encoding.UTF8.GetString(data));
                return ValueTask.FromResult<byte[]?>(null);
            });
        }
        return Task.CompletedTask;
    }

    async Task IHostedService.StopAsync(CancellationToken cancellationToken)
    {
        if (_subscription is { } subscription)
        {
            await subscription.DisposeAsync();
        }
    }
}
