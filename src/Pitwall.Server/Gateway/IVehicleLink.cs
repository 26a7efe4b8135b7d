using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>What features may ask of the link to the cars.</summary>
public interface IVehicleLink
{
    /// <summary>Whether the car holds a live connection to this instance (see <see cref="IsOnlineAsync"/> for the platform).</summary>
    bool IsOnline(string vin);

    /// <summary>Whether the car holds a live connection to any instance of the platform: this one, or another one that is
    /// alive (its heartbeat is recent; the cars of a killed instance read as offline).</summary>
    Task<bool> IsOnlineAsync(string vin, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="vins"/>, those online anywhere (as <see cref="IsOnlineAsync"/>), in one look-up.</summary>
    Task<IReadOnlySet<string>> OnlineAsync(IReadOnlyCollection<string> vins, CancellationToken cancellationToken);

    /// <summary>
    /// Queues a frame for the car durably (resent after reconnect until the car acks it or it expires) and sends it
    /// now when the car is connected. Returns the frame's cloud seq.
    /// </summary>
    Task<long> SendAsync(string vin, Envelope frame, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>
    /// Runs a feature's own write and queues the frame it returns in the same transaction (a transactional outbox), so
    /// the feature's state and the frame for the car commit together or not at all.
    /// </summary>
    Task<T> SendWithAsync<T>(
        string vin,
        Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, EnqueueFrame, Task<T>> work,
        CancellationToken cancellationToken);

    /// <summary>Withdraws frames the car has not received yet (e.g. commands of a user who lost access), in the caller's transaction.</summary>
    Task RetractAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string vin, IReadOnlyCollection<long> seqs);

    /// <summary>What the car last told about itself, or null when it never connected.</summary>
    Task<VehicleLinkInfo?> InfoAsync(string vin, CancellationToken cancellationToken);

    /// <summary>
    /// The car's privacy switches: from its live connection when it is connected here (what it said last, even before
    /// that is stored), else as last stored; null when it never connected. Cheaper than <see cref="InfoAsync"/>.
    /// </summary>
    Task<PrivacySettings?> PrivacyAsync(string vin, CancellationToken cancellationToken);
}

public sealed record VehicleLinkInfo(
    bool Online,
    DateTimeOffset? LastSeenAt,
    int? ProtocolVersion,
    IReadOnlyList<SoftwareVersion> Software,
    IReadOnlySet<uint> SupportedSignals,
    PrivacySettings Privacy,
    long CarAckedSeq)
{
    /// <summary>Whether the car has applied the frame queued with this cloud seq (it acks frames once applied).</summary>
    public bool HasApplied(long cloudSeq) => CarAckedSeq >= cloudSeq;
}

/// <summary>Queues a frame for the car inside the caller's transaction; returns its cloud seq.</summary>
public delegate Task<long> EnqueueFrame(Envelope frame, DateTimeOffset expiresAt);

/// <summary>The per-vehicle link secret, asked by the gateway before it accepts a development-mode connection.</summary>
public interface IVehicleCredentials
{
    /// <returns>The secret, or null when the VIN is not registered or has no secret.</returns>
    Task<byte[]?> SecretOfAsync(string vin, CancellationToken cancellationToken);

    Task<bool> IsRegisteredAsync(string vin, CancellationToken cancellationToken);
}

/// <summary>A feature's handler of one kind of car message, run by the ingest writer in the batch's transaction.</summary>
public interface IVehicleMessageHandler
{
    Envelope.PayloadOneofCase Handles { get; }

    /// <summary>Writes what the messages mean, in order, inside the batch transaction. Must not throw on content.</summary>
    Task PersistAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, IReadOnlyList<InboundMessage> messages);

    /// <summary>After the batch is durable: tell the world (events, waiting requests).</summary>
    void Committed(IReadOnlyList<InboundMessage> messages);
}

/// <param name="Privacy">The car's switches when the message arrived; handlers discard what they forbid.</param>
/// <param name="Refused">The gate refused its content: no handler sees it; it is only made durable as received, so that the
/// car's ack covers it and the car never resends it.</param>
public sealed record InboundMessage(string Vin, long Seq, Envelope Envelope, PrivacySettings Privacy, DateTimeOffset ReceivedAt, bool Refused = false);
