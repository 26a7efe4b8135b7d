namespace Pitwall.Server.Cluster;

/// <summary>
/// The message bus between the instances of one platform (NATS). Best effort by design: what must not be lost is written to
/// the database first, and an instance that misses a message finds it there. With one instance (no NATS configured)
/// <see cref="Enabled"/> is false and nothing is sent anywhere.
/// </summary>
public interface IClusterBus
{
    bool Enabled { get; }

    /// <summary>This instance's name (also when alone).</summary>
    string InstanceId { get; }

    /// <summary>Whether the bus is reachable now.</summary>
    bool Connected { get; }

    /// <summary>Raised when the connection to the bus is back after an outage (and when first made).</summary>
    event Action? Reconnected;

    /// <summary>Sends to every subscriber of the subject; false when it could not be sent (no bus, bus down).</summary>
    ValueTask<bool> PublishAsync(string subject, byte[] data);

    /// <summary>Asks the subscribers of the subject and returns the first answer.</summary>
    ValueTask<ClusterReply> RequestAsync(string subject, byte[] data, CancellationToken cancellationToken);

    /// <summary>
    /// Listens on a subject until disposed; returns at once (the subscription is made, and remade after an outage, in the
    /// background). The handler runs off the bus's reader; what it returns is the answer to a request (null: none).
    /// </summary>
    /// <param name="subscribed">Run once the server has the subscription (what was sent before may have found no listener).</param>
    IAsyncDisposable Subscribe(string subject, Func<byte[], ValueTask<byte[]?>> handler, Func<Task>? subscribed = null);
}

public enum ClusterReplyKind
{
    Answered,

    /// <summary>Nobody listens on the subject (e.g. no instance holds the car).</summary>
    NoResponders,

    /// <summary>No bus, the bus is down, or no answer in time.</summary>
    Unavailable,
}

public readonly record struct ClusterReply(ClusterReplyKind Kind, byte[]? Data = null);
