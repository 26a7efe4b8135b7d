using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>Ack frames written straight into a caller's buffer from one reused envelope per thread: no objects per ack.</summary>
internal static class AckFrames
{
    /// <summary>At most: sent_at_ms (1 + 10 bytes), the ack's tag and length (2 + 1), up_to_seq (1 + 10).</summary>
    public const int MaxLength = 25;

    [ThreadStatic]
    private static Envelope? t_envelope;

    /// <returns>The frame's length.</returns>
    public static int Write(byte[] buffer, ulong upToSeq, long sentAtMs)
    {
        var envelope = t_envelope ??= new Envelope { Ack = new Ack() };
        envelope.SentAtMs = sentAtMs;
        envelope.Ack.UpToSeq = upToSeq;
        var length = envelope.CalculateSize();
        envelope.WriteTo(buffer.AsSpan(0, length));
        return length;
    }
}
