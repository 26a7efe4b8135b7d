namespace Pitwall.Server.Cluster;

/// <summary>No NATS configured: this instance is the whole platform, and there is nobody to tell anything.</summary>
internal sealed class SingleInstanceBus(Microsoft.Extensions.Options.IOptions<ClusterOptions> options) : IClusterBus
{
    public bool Enabled => false;

    public string InstanceId => options.Value.InstanceId;

    public bool Connected => false;

    public event Action? Reconnected
    {
        add { }
        remove { }
    }

    public ValueTask<bool> PublishAsync(string subject, byte[] data) => ValueTask.FromResult(false);

    public ValueTask<ClusterReply> RequestAsync(string subject, byte[] data, CancellationToken cancellationToken) =>
        ValueTask.FromResult(new ClusterReply(ClusterReplyKind.Unavailable));

    public IAsyncDisposable Subscribe(string subject, Func<byte[], ValueTask<byte[]?>> handler, Func<Task>? subscribed = null) => Nothing.Instance;

    private sealed class Nothing : IAsyncDisposable
    {
        public static readonly Nothing Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
