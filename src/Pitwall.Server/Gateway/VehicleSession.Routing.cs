using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>What a session needs to be reached through other instances (issue 19, <see cref="CarRouting"/>).</summary>
internal sealed partial class VehicleSession
{
    private long _sentCloudSeq;

    /// <summary>This session's epoch, from its login: only the car's newest session anywhere may deliver to it.</summary>
    internal long Epoch { get; private set; }

    /// <summary>The highest cloud seq queued on this connection; frames at or below it are not sent again.</summary>
    internal long SentCloudSeq => Volatile.Read(ref _sentCloudSeq);

    /// <summary>The car's subscription on the bus while this session holds the car.</summary>
    internal IAsyncDisposable? Route { get; set; }

    /// <summary>Sends a cloud frame from the outbox once, in seq order; called under the car's lock.</summary>
    internal void SendCloudFrame(Envelope frame)
    {
        if ((long)frame.Seq <= _sentCloudSeq)
        {
            return; // already went out on this connection (read from the outbox by a drain first)
        }
        Send(frame);
        Volatile.Write(ref _sentCloudSeq, (long)frame.Seq);
    }

    private void Held(VehicleLinkStore.HelloRecord record)
    {
        Epoch = record.Epoch;
        // Every frame up to the last seq handed out is in the pending list, acked already, or no longer to be sent.
        _sentCloudSeq = record.Pending.Count > 0 ? (long)record.Pending[^1].Seq : record.NextCloudSeq;
    }
}
