using System.Buffers;
using NATS.Client.Core;

namespace Pitwall.Server.Cluster;

/// <summary>
/// A NATS subscription that hands each message to a callback, on NATS.Net's low-level subscription API: no channel and no
/// read loop per subscription, because an instance holds one per connected car (most idle for hours). The client remakes
/// it after a reconnect.
/// </summary>
internal sealed class CallbackSubscription : NatsSubBase, IAsyncDisposable
{
    private readonly Func<byte[], ValueTask<byte[]?>> _handler;
    private readonly ILogger _logger;

    private CallbackSubscription(INatsConnection connection, string subject, Func<byte[], ValueTask<byte[]?>> handler, ILogger logger)
        : base(connection, connection.SubscriptionManager, subject, queueGroup: null, opts: null)
    {
        _handler = handler;
        _logger = logger;
    }

    public static CallbackSubscription Start(
        INatsConnection connection, string subject, Func<byte[], ValueTask<byte[]?>> handler, Func<Task>? subscribed, ILogger logger)
    {
        var subscription = new CallbackSubscription(connection, subject, handler, logger);
        _ = subscription.AddAsync(connection, subscribed);
        return subscription;
    }

    private async Task AddAsync(INatsConnection connection, Func<Task>? subscribed)
    {
        try
        {
            await connection.AddSubAsync(this); // waits for the connection when NATS is down
            if (subscribed is not null)
            {
                await subscribed();
            }
        }
        catch (Exception e) when (e is NatsException or ObjectDisposedException or OperationCanceledException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
        {
            NatsClusterBus.LogSendFailed(_logger, e);
        }
    }

    protected override ValueTask ReceiveInternalAsync(string subject, string? replyTo, ReadOnlySequence<byte>? headersBuffer, ReadOnlySequence<byte> payloadBuffer)
    {
        // The buffers belong to the socket reader: copy, and handle off its thread.
        var data = payloadBuffer.ToArray();
        _ = HandleAsync(data, replyTo);
        return ValueTask.CompletedTask;
    }

    private async Task HandleAsync(byte[] data, string? replyTo)
    {
        await Task.Yield();
        try
        {
            var reply = await _handler(data);
            if (reply is not null && replyTo is not null && Connection.ConnectionState == NatsConnectionState.Open)
            {
                await Connection.PublishAsync(replyTo, reply);
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException or ObjectDisposedException or OperationCanceledException or System.Data.Common.DbException)
        {
            NatsClusterBus.LogSendFailed(_logger, e);
        }
    }

    protected override void TryComplete()
    {
    }
}
