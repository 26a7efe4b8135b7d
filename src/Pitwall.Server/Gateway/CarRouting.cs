using System.Buffers.Binary;
using Pitwall.Protocol.V1;
using Pitwall.Server.Cluster;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Gateway;

/// <summary>
/// Reaching a car wherever it is connected (issue 19). Whatever is addressed to a car is first written to its durable
/// outbox; then the instance holding the car sends it: this one directly, another one after an announcement on the car's
/// NATS subject (<c>pitwall.car.&lt;VIN&gt;</c>), to which the holder's session subscribes. The holder reads the outbox
/// from the last seq it sent, under the car's lock, so each frame goes out once and in order, whoever wrote it. A session
/// whose epoch is no longer the car's newest never delivers: it closes. No responder: nobody holds the car, the frames
/// wait for its next login. With one instance (no NATS) this is the local path of before.
/// </summary>
internal sealed partial class CarRouting(IClusterBus bus, SessionRegistry registry, VehicleLinkStore store, VinLocks locks, TimeProvider time,
    ILogger<CarRouting> logger)
{
    private const byte Deliver = 1;
    private const byte SessionStarted = 2;
    private static readonly byte[] DeliverMessage = [Deliver];

    public bool Enabled => bus.Enabled;

    public string InstanceId => bus.InstanceId;

    private static string Subject(string vin) => "pitwall.car." + vin;

    /// <summary>The session now holds the car: listen on its subject and tell any older session elsewhere to close.</summary>
    public void Join(VehicleSession session)
    {
        if (!bus.Enabled)
        {
            return;
        }
        // Once subscribed, a drain sends what was announced while nobody listened yet (between the login and the subscription).
        session.Route = bus.Subscribe(Subject(session.Vin), data => OnMessageAsync(session, data), () => DrainAsync(session, CancellationToken.None));
        var started = new byte[9];
        started[0] = SessionStarted;
        BinaryPrimitives.WriteInt64LittleEndian(started.AsSpan(1), session.Epoch);
        _ = bus.PublishAsync(Subject(session.Vin), started).AsTask();
    }

    public async ValueTask LeaveAsync(VehicleSession session)
    {
        if (session.Route is { } route)
        {
            session.Route = null;
            await route.DisposeAsync();
        }
    }

    private async ValueTask<byte[]?> OnMessageAsync(VehicleSession session, byte[] data)
    {
        switch (data.Length > 0 ? data[0] : 0)
        {
            case Deliver:
                return [await DrainAsync(session, CancellationToken.None) ? (byte)1 : (byte)0];
            case SessionStarted when data.Length == 9 && BinaryPrimitives.ReadInt64LittleEndian(data.AsSpan(1)) > session.Epoch:
                LogReplacedElsewhere(logger, LogRef.Vehicle(session.Vin));
                session.Replace();
                return null;
            default:
                return null;
        }
    }

    /// <summary>
    /// Right after frames for the car were written, under the car's lock: sends them when the car's session is here.
    /// </summary>
    /// <param name="epoch">The car's session epoch as the write saw it.</param>
    /// <returns>Whether another instance may hold the car and must be told (see <see cref="AnnounceAsync"/>).</returns>
    public async Task<bool> HandOverLockedAsync(string vin, IReadOnlyList<Envelope> frames, long epoch, CancellationToken cancellationToken)
    {
        if (registry.Find(vin) is not { } session)
        {
            return bus.Enabled;
        }
        if (!bus.Enabled)
        {
            foreach (var frame in frames)
            {
                session.SendCloudFrame(frame);
            }
            return false;
        }
        if (epoch != session.Epoch)
        {
            session.Replace(); // a newer session of the car logged in elsewhere
            return true;
        }
        if (frames.Count > 0 && (long)frames[0].Seq == session.SentCloudSeq + 1)
        {
            foreach (var frame in frames)
            {
                session.SendCloudFrame(frame); // one write's frames have consecutive seqs
            }
            return false;
        }
        // Frames written through other instances come first (their announcements may still be on the way).
        await DrainLockedAsync(session, cancellationToken);
        return false;
    }

    /// <summary>Tells whichever instance holds the car that frames wait for it; not awaited by anything that must not fail.</summary>
    public async Task AnnounceAsync(string vin, CancellationToken cancellationToken)
    {
        var reply = await bus.RequestAsync(Subject(vin), DeliverMessage, cancellationToken);
        if (reply.Kind == ClusterReplyKind.Unavailable)
        {
            LogAnnouncementFailed(logger, LogRef.Vehicle(vin)); // the holder's sweep or the car's next login sends it
        }
    }

    /// <summary>Sends what waits for the car from the outbox, after what this session already sent.</summary>
    /// <returns>False when the session is no longer the car's (it is closed then).</returns>
    public async Task<bool> DrainAsync(VehicleSession session, CancellationToken cancellationToken)
    {
        using var _ = await locks.AcquireAsync(session.Vin, cancellationToken);
        return await DrainLockedAsync(session, cancellationToken);
    }

    private async Task<bool> DrainLockedAsync(VehicleSession session, CancellationToken cancellationToken)
    {
        if (!ReferenceEquals(registry.Find(session.Vin), session))
        {
            return false;
        }
        var (epoch, frames) = await store.PendingAfterAsync(session.Vin, session.SentCloudSeq, time.GetUtcNow(), cancellationToken);
        if (epoch != session.Epoch)
        {
            session.Replace();
            return false;
        }
        foreach (var frame in frames)
        {
            session.SendCloudFrame(frame);
        }
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Car {Vehicle}: a newer session on another instance took over; closing this one")]
    private static partial void LogReplacedElsewhere(ILogger logger, string vehicle);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Car {Vehicle}: the instance holding it could not be told; the frames wait in the outbox")]
    private static partial void LogAnnouncementFailed(ILogger logger, string vehicle);
}
