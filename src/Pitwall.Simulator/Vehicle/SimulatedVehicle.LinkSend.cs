using System.Buffers;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>The connection's send pump: at most one per connection, in seq order, from the resend buffer, with the acks the car owes.</summary>
public sealed partial class SimulatedVehicle
{
    /// <summary>Claims the send pump of the current connection if there is something to send. Under the lock.</summary>
    private Connection? ClaimFlush()
    {
        var connection = _connection;
        if (connection is null || !connection.Welcomed || connection.Closing || connection.Flushing || (_pendingAck == 0 && !_buffer.HasUnsent))
        {
            return null;
        }
        connection.Flushing = true;
        return connection;
    }

    private void Flush()
    {
        Connection? flush;
        lock (_gate)
        {
            flush = ClaimFlush();
        }
        StartFlush(flush);
    }

    private void StartFlush(Connection? connection)
    {
        if (connection is not null)
        {
            _ = PumpAsync(connection);
        }
    }

    /// <summary>Sends the owed ack and every unsent buffered frame, paced, then stops; claimed again on the next change.</summary>
    private async Task PumpAsync(Connection connection)
    {
        // A pacing token taken before waiting for it: the next round sends without taking another.
        var paid = false;
        try
        {
            while (true)
            {
                byte[]? frame = null;
                var length = 0;
                var wait = TimeSpan.Zero;
                lock (_gate)
                {
                    if (_connection != connection || connection.Closing || !connection.Welcomed || (_pendingAck == 0 && !_buffer.HasUnsent))
                    {
                        connection.Flushing = false;
                        return;
                    }
                    wait = paid ? TimeSpan.Zero : _pacer.Take();
                    paid = wait > TimeSpan.Zero;
                    if (!paid)
                    {
                        (frame, length) = _pendingAck != 0 ? EncodeAck() : EncodeNext();
                    }
                }
                if (frame is null)
                {
                    await Task.Delay(wait, _time);
                    continue;
                }
                try
                {
                    await connection.Socket.SendAsync(frame.AsMemory(0, length), WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(frame);
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            lock (_gate)
            {
                connection.Flushing = false;
            }
            // The receive loop sees the abort and takes care of reconnecting.
            connection.Socket.Abort();
        }
    }

    /// <summary>The owed cumulative ack, as an unsequenced frame. Under the lock.</summary>
    private (byte[] Frame, int Length) EncodeAck()
    {
        var ack = new Envelope { SentAtMs = NowMs(), Ack = new Ack { UpToSeq = _pendingAck } };
        _pendingAck = 0;
        return Encode(ack, ReadOnlySpan<byte>.Empty);
    }

    /// <summary>
    /// The next buffered frame: its seq and sent_at encoded now, followed by the stored payload bytes. Protobuf
    /// merges concatenated messages, so the result is one Envelope. Under the lock.
    /// </summary>
    private (byte[] Frame, int Length) EncodeNext()
    {
        var next = _buffer.TakeNext()!;
        if (next.Transmitted)
        {
            Resent++;
        }
        else
        {
            next.Transmitted = true;
            Sent++;
        }
        return Encode(new Envelope { Seq = next.Seq, SentAtMs = NowMs() }, next.Payload);
    }

    private static (byte[] Frame, int Length) Encode(Envelope header, ReadOnlySpan<byte> payload)
    {
        var headerLength = header.CalculateSize();
        var frame = ArrayPool<byte>.Shared.Rent(headerLength + payload.Length);
        header.WriteTo(frame.AsSpan(0, headerLength));
        payload.CopyTo(frame.AsSpan(headerLength));
        return (frame, headerLength + payload.Length);
    }
}
