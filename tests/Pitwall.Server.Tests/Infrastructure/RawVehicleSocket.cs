using System.Buffers.Binary;
using System.Net.Sockets;
using System.Text;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// The vehicle link over a bare TCP socket, WebSocket framing written by hand, for what a WebSocket client library will
/// not do: announce a frame larger than it sends, or send a frame's bytes as slowly as it likes.
/// </summary>
public sealed class RawVehicleSocket : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawVehicleSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>Logs in as the car and completes the WebSocket upgrade (expects 101).</summary>
    public static async Task<RawVehicleSocket> UpgradeAsync(Uri server, string vin, byte[] secret)
    {
        var (nonce, proof) = await TestCar.AuthenticateAsync(server, vin, secret);
        var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var socket = new RawVehicleSocket(tcp);
        socket.Key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        var request = $"GET {EnvelopeCodec.WebSocketPath} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {socket.Key}\r\nSec-WebSocket-Version: 13\r\n" +
            $"{VehicleAuth.VinHeader}: {vin}\r\n{VehicleAuth.NonceHeader}: {nonce}\r\n{VehicleAuth.ProofHeader}: {proof}\r\n\r\n";
        await socket._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var response = new StringBuilder();
        while (!response.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            response.Append((char)await socket.ReadByteAsync());
        }
        socket.ResponseHead = response.ToString();
        Assert.StartsWith("HTTP/1.1 101", socket.ResponseHead, StringComparison.Ordinal);
        return socket;
    }

    /// <summary>The <c>Sec-WebSocket-Key</c> the upgrade sent.</summary>
    public string Key { get; private set; } = "";

    /// <summary>The server's answer to the upgrade, status line and headers.</summary>
    public string ResponseHead { get; private set; } = "";

    /// <summary>Sends one whole binary frame.</summary>
    public async Task SendAsync(Envelope envelope)
    {
        var bytes = envelope.ToByteArray();
        await StartFrameAsync(bytes.Length);
        await SendPayloadAsync(bytes);
    }

    /// <summary>Starts one binary frame that announces <paramref name="length"/> payload bytes (masked with a zero key, so
    /// the payload goes as it is).</summary>
    public async Task StartFrameAsync(long length)
    {
        var header = new byte[14];
        header[0] = 0x82; // FIN, binary
        header[1] = 0x80 | 127; // masked, 64-bit length
        BinaryPrimitives.WriteInt64BigEndian(header.AsSpan(2), length);
        await _stream.WriteAsync(header); // the last four bytes are the zero mask key
    }

    public async Task SendPayloadAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>The next envelope the server sends (pings skipped); null once it closes.</summary>
    public async Task<Envelope?> ReceiveAsync()
    {
        while (true)
        {
            var opcode = await ReadByteAsync() & 0x0F;
            long length = await ReadByteAsync() & 0x7F;
            if (length == 126)
            {
                length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2));
            }
            else if (length == 127)
            {
                length = BinaryPrimitives.ReadInt64BigEndian(await ReadExactlyAsync(8));
            }
            var payload = await ReadExactlyAsync((int)length);
            switch (opcode)
            {
                case 0x8:
                    return null;
                case 0x2:
                    return Envelope.Parser.ParseFrom(payload);
            }
        }
    }

    private async Task<int> ReadByteAsync() => (await ReadExactlyAsync(1))[0];

    private async Task<byte[]> ReadExactlyAsync(int count)
    {
        var bytes = new byte[count];
        await _stream.ReadExactlyAsync(bytes).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        return bytes;
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
