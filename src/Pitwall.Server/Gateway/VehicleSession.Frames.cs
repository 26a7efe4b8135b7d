using System.Buffers;
using System.Net.WebSockets;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>Reading one whole frame from the car, within the frame timeout, into a buffer rented only while it arrives.</summary>
internal sealed partial class VehicleSession
{
    /// <summary>Called once the first bytes of a frame are there (the receive loop waits for them holding no buffer).</summary>
    /// <returns>A pooled buffer holding one whole message (null when the car closed), or tooLarge past the cap. A frame
    /// that is there at once (nearly all) completes synchronously: a ValueTask then allocates nothing per frame.</returns>
    /// <remarks>The socket's reads take no cancellation token (each would register on it while the car idles); what
    /// ends a connection early aborts the socket instead.</remarks>
    private async ValueTask<(byte[]? Frame, int Length, bool TooLarge)> ReceiveFrameAsync()
    {
        // From the first byte on, the whole frame must arrive in time, however slowly the car sends it. A frame that is
        // there at once (nearly all) needs no timer: the deadline is armed only when a read has to wait.
        var firstByte = _services.Time.GetTimestamp();
        var armed = false;
        var buffer = ArrayPool<byte>.Shared.Rent(EnvelopeCodec.MaxFrameBytes + 1);
        var length = 0;
        try
        {
            while (true)
            {
                // Never ask for more than one byte past the cap: a read into the whole pooled array could wait for bytes
                // of an oversized frame that the cap should have refused already.
                var receive = _socket.ReceiveAsync(buffer.AsMemory(length, EnvelopeCodec.MaxFrameBytes + 1 - length), CancellationToken.None);
                if (!armed && !receive.IsCompleted)
                {
                    armed = true;
                    ArmFrameDeadline(firstByte);
                }
                var result = await receive;
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, false);
                }
                length += result.Count;
                if (length > EnvelopeCodec.MaxFrameBytes)
                {
                    return (buffer, length, true);
                }
                if (result.EndOfMessage)
                {
                    return result.MessageType == WebSocketMessageType.Binary ? (buffer, length, false) : (buffer, 0, false);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        finally
        {
            if (armed)
            {
                _frameDeadline!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
    }

    private void ArmFrameDeadline(long firstByte)
    {
        _frameDeadline ??= _services.Time.CreateTimer(static s => ((VehicleSession)s!).FrameTimedOut(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var left = _services.Options.FrameTimeout - _services.Time.GetElapsedTime(firstByte);
        _frameDeadline.Change(left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    // The pump sends the error and closes; the receive still waiting for the frame's rest ends with the connection.
    private void FrameTimedOut() => Fail(ProtocolError.Types.Code.MalformedFrame, "the frame did not arrive in time", 0);
}
