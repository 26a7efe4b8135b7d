using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Protocol;

/// <summary>Framing: one protobuf <see cref="Envelope"/> per binary WebSocket message, at most <see cref="MaxFrameBytes"/>.</summary>
public static class EnvelopeCodec
{
    public const int ProtocolVersion = 1;
    public const int MaxFrameBytes = 64 * 1024;
    public const string WebSocketPath = "/vehicle/v1";
    public const string ChallengePath = "/vehicle/v1/challenge";

    public static byte[] Encode(Envelope envelope) => envelope.ToByteArray();

    /// <returns>The envelope, or null with the reason when the frame is not one this version understands.</returns>
    public static Envelope? TryDecode(ReadOnlySpan<byte> frame, out ProtocolError.Types.Code error)
    {
        error = ProtocolError.Types.Code.Unspecified;
        if (frame.Length > MaxFrameBytes)
        {
            error = ProtocolError.Types.Code.FrameTooLarge;
            return null;
        }
        Envelope envelope;
        try
        {
            envelope = Envelope.Parser.ParseFrom(frame);
        }
        catch (InvalidProtocolBufferException)
        {
            error = ProtocolError.Types.Code.MalformedFrame;
            return null;
        }
        if (envelope.PayloadCase == Envelope.PayloadOneofCase.None)
        {
            // A newer peer's message kind, or garbage that happened to parse.
            error = ProtocolError.Types.Code.UnknownMessage;
            return null;
        }
        return envelope;
    }
}
