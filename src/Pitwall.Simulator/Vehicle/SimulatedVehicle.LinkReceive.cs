using System.Buffers;
using System.Net.WebSockets;
using Pitwall.Protocol;

namespace Pitwall.Simulator;

/// <summary>The connection's receive loop: one frame at a time off the socket, size-limited, handed to the inbound handlers.</summary>
public sealed partial class SimulatedVehicle
{
    private async Task ReceiveLoopAsync(Connection connection)
    {
        var socket = connection.Socket;
        try
        {
            while (true)
            {
                // Wait for data without holding a buffer, so that an idle car costs little memory.
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (peek.EndOfMessage)
                {
                    continue; // an empty message
                }
                var message = await ReadMessageAsync(socket);
                try
                {
                    if (message.Closed)
                    {
                        break;
                    }
                    if (peek.MessageType == WebSocketMessageType.Binary && !message.TooLarge)
                    {
                        Handle(connection, message.Buffer.AsSpan(0, message.Length));
                    }
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(message.Buffer);
                }
            }
            if (socket.State == WebSocketState.CloseReceived)
            {
                // Answer the server's close so that both sides end cleanly.
                using var timeout = new CancellationTokenSource(CloseTimeout, _time);
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The link is gone; what was not acked is still in the resend buffer.
        }
        finally
        {
            OnConnectionLost(connection);
        }
    }

    private static async Task<ReceivedMessage> ReadMessageAsync(WebSocket socket)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialReceiveBuffer);
        var length = 0;
        var tooLarge = false;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > EnvelopeCodec.MaxFrameBytes)
                {
                    tooLarge = true; // keep reading to the end of the message, discarding it
                    length = 0;
                }
                else
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
            }
            var result = await socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new ReceivedMessage(buffer, 0, Closed: true, TooLarge: false);
            }
            length += result.Count;
            if (result.EndOfMessage)
            {
                return new ReceivedMessage(buffer, length, Closed: false, tooLarge);
            }
        }
    }


    private readonly record struct ReceivedMessage(byte[] Buffer, int Length, bool Closed, bool TooLarge);
}
