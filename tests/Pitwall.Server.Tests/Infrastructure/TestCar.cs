using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Threading.Channels;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// A bare vehicle-link client that sends exactly the frames a test says, for protocol edge cases
/// (the simulator plays the well-behaved car).
/// </summary>
public sealed class TestCar : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Envelope> _received = Channel.CreateUnbounded<Envelope>();
    private Queue<Envelope> _passedOver = new(); // read while waiting for an ack, not yet asked for
    private Task? _reader;
    private ulong _seq;

    private TestCar(string vin) => Vin = vin;

    public string Vin { get; }

    public WebSocketState State => _socket.State;

    /// <summary>How the server ended the connection, once it did.</summary>
    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static async Task<TestCar> ConnectAsync(Uri server, string vin, byte[] secret, ulong firstSeq = 1000, PrivacySettings? privacy = null, bool hello = true)
    {
        var car = new TestCar(vin) { _seq = firstSeq };
        var (nonce, proof) = await AuthenticateAsync(server, vin, secret);
        car._socket.Options.SetRequestHeader(VehicleAuth.VinHeader, vin);
        car._socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
        car._socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, proof);
        await car._socket.ConnectAsync(new Uri(server, EnvelopeCodec.WebSocketPath.TrimStart('/')).ToWebSocket(), CancellationToken.None);
        car._reader = car.ReadLoopAsync();
        if (hello)
        {
            await car.SendAsync(new Envelope
            {
                Seq = car.NextSeq(),
                Hello = new Hello
                {
                    ProtocolVersion = 1,
                    Vin = vin,
                    SupportedSignals = { SignalCatalog.All.Select(s => s.Id) },
                    Privacy = privacy ?? new PrivacySettings(),
                },
            });
            Assert.Equal(Envelope.PayloadOneofCase.Welcome, (await car.ReceiveAsync()).PayloadCase);
        }
        return car;
    }

    public static async Task<(string Nonce, string Proof)> AuthenticateAsync(Uri server, string vin, byte[] secret)
    {
        using var http = new HttpClient { BaseAddress = server };
        var challenge = await http.PostAsJsonAsync(EnvelopeCodec.ChallengePath, new { vin });
        challenge.EnsureSuccessStatusCode();
        var nonce = (await challenge.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("nonce").GetString()!;
        return (nonce, VehicleAuth.Proof(secret, vin, nonce));
    }

    public ulong NextSeq() => ++_seq;

    public Task SendAsync(Envelope envelope) => SendRawAsync(envelope.ToByteArray());

    public Task SendRawAsync(byte[] frame, WebSocketMessageType type = WebSocketMessageType.Binary) =>
        _socket.SendAsync(frame, type, true, CancellationToken.None);

    /// <summary>Sends a status report and returns its seq.</summary>
    public async Task<ulong> ReportAsync(Trigger trigger, params SignalValue[] values)
    {
        var seq = NextSeq();
        await SendAsync(new Envelope { Seq = seq, StatusReport = new StatusReport { Trigger = trigger, Values = { values } } });
        return seq;
    }

    /// <summary>The next frame from the server (waits at most 30 s so a broken test fails instead of hanging).</summary>
    public async Task<Envelope> ReceiveAsync() =>
        _passedOver.TryDequeue(out var frame) ? frame : await _received.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    /// <summary>Skips frames until one of the wanted kind arrives.</summary>
    public async Task<Envelope> ReceiveAsync(Envelope.PayloadOneofCase kind)
    {
        while (true)
        {
            var frame = await ReceiveAsync();
            if (frame.PayloadCase == kind)
            {
                return frame;
            }
        }
    }

    /// <summary>Waits for the ack of <paramref name="seq"/>; other frames that come first (an answer can overtake the ack) are
    /// kept for the next <see cref="ReceiveAsync()"/>.</summary>
    public async Task WaitForAckAsync(ulong seq)
    {
        var kept = new List<Envelope>();
        Envelope frame;
        while ((frame = await ReceiveAsync()).PayloadCase != Envelope.PayloadOneofCase.Ack || frame.Ack.UpToSeq < seq)
        {
            if (frame.PayloadCase != Envelope.PayloadOneofCase.Ack)
            {
                kept.Add(frame);
            }
        }
        kept.AddRange(_passedOver); // frames kept earlier that came after this ack
        _passedOver = new Queue<Envelope>(kept);
    }

    /// <summary>Waits until the server closes the connection.</summary>
    public async Task WaitClosedAsync()
    {
        if (_reader is not null)
        {
            await _reader.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    public static SignalValue Number(Signal signal, double value, DateTimeOffset at) => new() { Id = signal.Id, Number = value, RecordedAtMs = at.ToUnixTimeMilliseconds() };

    public static SignalValue Flag(Signal signal, bool value, DateTimeOffset at) => new() { Id = signal.Id, Flag = value, RecordedAtMs = at.ToUnixTimeMilliseconds() };

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[128 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length).ToArraySegment(), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    }
                    return;
                }
                await _received.Writer.WriteAsync(Envelope.Parser.ParseFrom(buffer, 0, length));
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _received.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        _socket.Dispose();
        if (_reader is not null)
        {
            await _reader.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}

internal static class UriExtensions
{
    public static Uri ToWebSocket(this Uri uri) => new UriBuilder(uri) { Scheme = uri.Scheme == "https" ? "wss" : "ws" }.Uri;

    public static ArraySegment<byte> ToArraySegment(this Memory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment : throw new InvalidOperationException();
}
