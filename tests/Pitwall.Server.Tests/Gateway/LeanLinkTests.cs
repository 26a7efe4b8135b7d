using System.Net.Http.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>The vehicle link served below Kestrel's HTTP layer (<see cref="VehicleLinkConnections"/>), end to end.</summary>
public sealed class LeanLinkTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private Uri Server => server.Client.BaseAddress!;

    [Fact]
    public async Task A_car_upgrading_on_a_fresh_connection_is_answered_below_the_HTTP_layer_and_welcomed()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        await using var raw = await RawVehicleSocket.UpgradeAsync(Server, vin, secret);

        Assert.Contains($"Sec-WebSocket-Accept: {LinkUpgradeRequest.AcceptFor(raw.Key)}\r\n", raw.ResponseHead, StringComparison.Ordinal);
        // Kestrel dates every response it writes, a 101 included; the lean path writes only what RFC 6455 asks for.
        Assert.DoesNotContain("Date:", raw.ResponseHead, StringComparison.OrdinalIgnoreCase);
        await raw.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = vin } });
        Assert.Equal(Envelope.PayloadOneofCase.Welcome, (await raw.ReceiveAsync())!.PayloadCase);
    }

    [Fact]
    public async Task The_challenge_answer_closes_its_cleartext_connection_so_the_upgrade_comes_on_a_fresh_one()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        var challenge = await server.Client.PostAsJsonAsync(EnvelopeCodec.ChallengePath, new { vin });

        challenge.EnsureSuccessStatusCode();
        Assert.True(challenge.Headers.ConnectionClose);
    }

    [Fact]
    public async Task A_car_whose_proof_is_wrong_gets_the_same_problem_as_before_from_Kestrel()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        var (nonce, _) = await TestCar.AuthenticateAsync(Server, vin, secret);
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Server.Host, Server.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(
            $"GET {EnvelopeCodec.WebSocketPath} HTTP/1.1\r\nHost: {Server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {Convert.ToBase64String(new byte[16])}\r\nSec-WebSocket-Version: 13\r\n" +
            $"{VehicleAuth.VinHeader}: {vin}\r\n{VehicleAuth.NonceHeader}: {nonce}\r\n{VehicleAuth.ProofHeader}: {VehicleAuth.Proof(new byte[32], vin, nonce)}\r\n\r\n"));

        var answer = await ReadResponseAsync(stream).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.StartsWith("HTTP/1.1 401", answer, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"vehicle_auth_failed\"", answer, StringComparison.Ordinal);
    }

    // Until the problem's JSON has ended (its length may come as chunks): the connection stays open for the next request.
    private static async Task<string> ReadResponseAsync(Stream stream)
    {
        var text = "";
        var buffer = new byte[4096];
        while (text.IndexOf("\r\n\r\n", StringComparison.Ordinal) is var end && (end < 0 || !text[end..].Contains('}', StringComparison.Ordinal)))
        {
            var read = await stream.ReadAsync(buffer);
            Assert.NotEqual(0, read);
            text += System.Text.Encoding.UTF8.GetString(buffer, 0, read);
        }
        return text;
    }
}
