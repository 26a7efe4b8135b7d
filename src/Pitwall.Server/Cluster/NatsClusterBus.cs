using Microsoft.Extensions.Options;
using NATS.Client.Core;

namespace Pitwall.Server.Cluster;

/// <summary>
/// The bus on NATS core (no JetStream: the database is the durable part). Connects in the background and keeps
/// reconnecting for as long as the instance runs, so that an instance starts and serves while NATS is down; meanwhile
/// nothing is sent (<see cref="PublishAsync"/> answers false at once rather than buffering) and the health check says
/// degraded.
/// </summary>
internal sealed partial class NatsClusterBus : IClusterBus, IHostedService, IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly ClusterOptions _options;
    private readonly ILogger<NatsClusterBus> _logger;

    public NatsClusterBus(IOptions<ClusterOptions> options, ILoggerFactory loggers)
    {
        _options = options.Value;
        _logger = loggers.CreateLogger<NatsClusterBus>();
        _connection = new NatsConnection(NatsOpts.Default with
        {
            Url = _options.NatsUrl!,
            Name = "pitwall-" + _options.InstanceId,
            LoggerFactory = loggers,
            RetryOnInitialConnect = true,
            MaxReconnectRetry = -1,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(200),
            ReconnectWaitMax = TimeSpan.FromSeconds(2),
            RequestTimeout = _options.RequestTimeout,
        });
        _connection.ConnectionOpened += (_, _) =>
        {
            LogConnected(_logger);
            Reconnected?.Invoke();
            return ValueTask.CompletedTask;
        };
        _connection.ConnectionDisconnected += (_, _) =>
        {
            LogDisconnected(_logger);
            return ValueTask.CompletedTask;
        };
    }

    public bool Enabled => true;

    public string InstanceId => _options.InstanceId;

    public bool Connected => _connection.ConnectionState == NatsConnectionState.Open;

    public event Action? Reconnected;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not awaited: an instance starts without NATS and connects when it can (RetryOnInitialConnect).
        _ = ConnectAsync();
        return Task.CompletedTask;
    }

    private async Task ConnectAsync()
    {
        try
        {
            await _connection.ConnectAsync();
        }
        catch (Exception e) when (e is NatsException or ObjectDisposedException or OperationCanceledException)
        {
            LogConnectFailed(_logger, e);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    public async ValueTask<bool> PublishAsync(string subject, byte[] data)
    {
        if (!Connected)
        {
            return false;
        }
        try
        {
            await _connection.PublishAsync(subject, data);
            return true;
        }
        catch (Exception e) when (e is NatsException or TimeoutException or ObjectDisposedException or OperationCanceledException)
        {
            LogSendFailed(_logger, e);
            return false;
        }
    }

    public async ValueTask<ClusterReply> RequestAsync(string subject, byte[] data, CancellationToken cancellationToken)
    {
        if (!Connected)
        {
            return new ClusterReply(ClusterReplyKind.Unavailable);
        }
        try
        {
            var reply = await _connection.RequestAsync<byte[], byte[]>(subject, data,
                replyOpts: new NatsSubOpts { Timeout = _options.RequestTimeout, ThrowIfNoResponders = true }, cancellationToken: cancellationToken);
            return new ClusterReply(ClusterReplyKind.Answered, reply.Data);
        }
        catch (NatsNoRespondersException)
        {
            return new ClusterReply(ClusterReplyKind.NoResponders);
        }
        catch (Exception e) when (e is NatsException or TimeoutException or ObjectDisposedException ||
                                  (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            LogSendFailed(_logger, e);
            return new ClusterReply(ClusterReplyKind.Unavailable);
        }
    }

    public IAsyncDisposable Subscribe(string subject, Func<byte[], ValueTask<byte[]?>> handler, Func<Task>? subscribed = null) =>
        CallbackSubscription.Start(_connection, subject, handler, subscribed, _logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to NATS")]
    private static partial void LogConnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Disconnected from NATS; reconnecting (the database outbox keeps what is addressed to cars)")]
    private static partial void LogDisconnected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not connect to NATS")]
    private static partial void LogConnectFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A NATS message could not be sent")]
    internal static partial void LogSendFailed(ILogger logger, Exception exception);
}
