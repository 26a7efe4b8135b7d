using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Google.Protobuf;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Gateway;

/// <summary>The vehicle link's guarantees and defences, over real WebSockets, on each engine.</summary>
public abstract class GatewayTests(PitwallServer server)
{
    private Uri Server => server.Client.BaseAddress!;

    private async Task<TestCar> NewCarAsync(ulong firstSeq = 1000)
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        return await TestCar.ConnectAsync(Server, vin, secret, firstSeq);
    }

    private int TimesStored(string vin, long seq) => server.Ingested.Count(i => i.Vin == vin && i.Seq == seq);

    [Fact]
    public async Task After_the_connection_dies_mid_stream_every_report_is_stored_exactly_once()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        var reports = Enumerable.Range(1, 60).Select(i => new Envelope
        {
            Seq = (ulong)(5000 + i),
            StatusReport = new StatusReport { Trigger = Trigger.Periodic, Values = { TestCar.Number(SignalCatalog.Odometer, i, server.Clock.GetUtcNow()) } },
        }).ToList();

        var first = await TestCar.ConnectAsync(Server, vin, secret);
        foreach (var report in reports.Take(40))
        {
            await first.SendAsync(report);
        }
        await first.DisposeAsync(); // aborted: no close handshake, acks in flight are lost

        // The car resends everything it has not seen acked (here: all of it), in order, on a new connection.
        await using var second = await TestCar.ConnectAsync(Server, vin, secret);
        foreach (var report in reports)
        {
            await second.SendAsync(report);
        }
        await second.WaitForAckAsync(reports[^1].Seq);

        Assert.All(reports, r => Assert.Equal(1, TimesStored(vin, (long)r.Seq)));
        var stored = await server.Get<Pitwall.Server.Features.Status.StatusStore>().FindAsync(vin, CancellationToken.None);
        Assert.Equal(60, stored!.Values.Single(v => v.Id == SignalCatalog.Odometer.Id).Number);
    }

    [Fact]
    public async Task Cloud_frames_not_acked_by_the_car_are_resent_after_reconnect()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        var owner = await server.NewOwnerAsync();
        await using (var car = await TestCar.ConnectAsync(Server, vin, secret))
        {
            await server.ClientWith(owner.AccessToken).PostAsJsonAsync("/api/v1/pairings", new { vin });
            await car.ReceiveAsync(Envelope.PayloadOneofCase.PairingCode); // received but never acked
        }
        await using var again = await TestCar.ConnectAsync(Server, vin, secret);
        var resent = await again.ReceiveAsync(Envelope.PayloadOneofCase.PairingCode);
        await again.SendAsync(new Envelope { Ack = new Ack { UpToSeq = resent.Seq } });
        await again.WaitForAckAsync(await again.ReportAsync(Trigger.Periodic)); // the ack above was processed in order

        await using var third = await TestCar.ConnectAsync(Server, vin, secret);
        await third.WaitForAckAsync(await third.ReportAsync(Trigger.Periodic));
        // A third connection works normally once the resent frame was acknowledged.
    }

    [Theory]
    [InlineData("random")]
    [InlineData("truncated")]
    [InlineData("oversize")]
    [InlineData("text")]
    [InlineData("unknown_message")]
    [InlineData("vin_mismatch")]
    [InlineData("replay")]
    [InlineData("no_hello")]
    [InlineData("cloud_message_from_car")]
    [InlineData("unsupported_version")]
    public async Task Bad_frames_close_only_the_offending_connection(string attack)
    {
        await using var bystander = await NewCarAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        var needsHello = attack is not ("vin_mismatch" or "no_hello" or "unsupported_version");
        await using var attacker = await TestCar.ConnectAsync(Server, vin, secret, hello: needsHello);
        var valid = new Envelope { Seq = 7, StatusReport = new StatusReport { Trigger = Trigger.Periodic } }.ToByteArray();
        var random = new Random(attack.GetHashCode(StringComparison.Ordinal));
        switch (attack)
        {
            case "random":
                var junk = new byte[512];
                random.NextBytes(junk);
                junk[0] = 0xFF; // an invalid tag, so it can never parse
                await attacker.SendRawAsync(junk);
                break;
            case "truncated":
                var report = new Envelope { Seq = 9999, StatusReport = new StatusReport { Values = { TestCar.Number(SignalCatalog.Speed, 3, server.Clock.GetUtcNow()) } } }.ToByteArray();
                await attacker.SendRawAsync(report[..^3]);
                break;
            case "oversize":
                await attacker.SendRawAsync(new Envelope { Seq = 9999, StatusReport = new StatusReport { RequestId = new string('x', 70_000) } }.ToByteArray());
                break;
            case "text":
                await attacker.SendRawAsync("hello"u8.ToArray(), WebSocketMessageType.Text);
                break;
            case "unknown_message":
                // Field 39 is reserved for a future message kind: a newer car's message this server does not know.
                await attacker.SendRawAsync([0x08, 0x05, 0xBA, 0x02, 0x00]);
                break;
            case "vin_mismatch":
                await attacker.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 1, Vin = "WP0ZZZ99ZTS000001" } });
                break;
            case "replay":
                await attacker.SendAsync(new Envelope { Seq = 5000, StatusReport = new StatusReport() });
                await attacker.SendAsync(new Envelope { Seq = 5000, StatusReport = new StatusReport() });
                break;
            case "no_hello":
                await attacker.SendRawAsync(valid);
                break;
            case "cloud_message_from_car":
                await attacker.SendAsync(new Envelope { Seq = 5000, Welcome = new Welcome() });
                break;
            case "unsupported_version":
                await attacker.SendAsync(new Envelope { Hello = new Hello { ProtocolVersion = 99, Vin = vin } });
                break;
        }
        var error = await attacker.ReceiveAsync(Envelope.PayloadOneofCase.Error);
        Assert.NotEqual(ProtocolError.Types.Code.Unspecified, error.Error.Code);
        await attacker.WaitClosedAsync();
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, attacker.CloseStatus);

        // The other car's session goes on undisturbed, and the server stays healthy.
        await bystander.WaitForAckAsync(await bystander.ReportAsync(Trigger.Periodic, TestCar.Number(SignalCatalog.Speed, 1, server.Clock.GetUtcNow())));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task Random_and_truncated_frames_in_bulk_never_crash_the_server()
    {
        await using var bystander = await NewCarAsync();
        var random = new Random(20261121);
        for (var round = 0; round < 30; round++)
        {
            var (vin, secret) = await server.RegisterVehicleAsync();
            await using var fuzzer = await TestCar.ConnectAsync(Server, vin, secret);
            var valid = new Envelope
            {
                Seq = (ulong)(2000 + round),
                StatusReport = new StatusReport { Values = { TestCar.Number(SignalCatalog.Latitude, random.NextDouble(), server.Clock.GetUtcNow()) } },
            }.ToByteArray();
            var frame = (round % 3) switch
            {
                0 => valid[..random.Next(1, valid.Length)],
                1 => valid.Select(b => random.Next(8) == 0 ? (byte)random.Next(256) : b).ToArray(),
                _ => Enumerable.Range(0, random.Next(1, 300)).Select(_ => (byte)random.Next(256)).ToArray(),
            };
            try
            {
                await fuzzer.SendRawAsync(frame);
                await fuzzer.WaitForAckAsync(await fuzzer.ReportAsync(Trigger.Periodic));
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or System.Threading.Channels.ChannelClosedException)
            {
                // The server closed this connection because of the frame: expected for most of them.
            }
        }
        await bystander.WaitForAckAsync(await bystander.ReportAsync(Trigger.Periodic));
        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/health/ready")).StatusCode);
    }

    [Fact]
    public async Task A_new_connection_for_the_same_vin_replaces_the_old_one()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        await using var first = await TestCar.ConnectAsync(Server, vin, secret);
        await using var second = await TestCar.ConnectAsync(Server, vin, secret);
        Assert.Equal(ProtocolError.Types.Code.Replaced, (await first.ReceiveAsync(Envelope.PayloadOneofCase.Error)).Error.Code);
        await second.WaitForAckAsync(await second.ReportAsync(Trigger.Periodic));
    }

    [Fact]
    public async Task A_car_over_its_message_rate_is_disconnected()
    {
        await using var car = await NewCarAsync();
        try
        {
            for (var i = 0; i < 600; i++)
            {
                await car.ReportAsync(Trigger.Periodic);
            }
        }
        catch (WebSocketException)
        {
            // The server hung up while the car was still sending: that is the point.
        }
        Assert.Equal(ProtocolError.Types.Code.RateLimited, (await car.ReceiveAsync(Envelope.PayloadOneofCase.Error)).Error.Code);
    }

    [Fact]
    public async Task Wrong_proofs_reused_nonces_and_unknown_cars_are_refused_before_the_upgrade()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        async Task<HttpStatusCode> UpgradeAsync(string v, string nonce, string proof)
        {
            using var socket = new ClientWebSocket();
            socket.Options.SetRequestHeader(VehicleAuth.VinHeader, v);
            socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
            socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, proof);
            socket.Options.CollectHttpResponseDetails = true;
            try
            {
                await socket.ConnectAsync(new Uri(Server, "vehicle/v1").ToWebSocket(), CancellationToken.None);
                return HttpStatusCode.SwitchingProtocols;
            }
            catch (WebSocketException)
            {
                return socket.HttpStatusCode;
            }
        }

        var (nonce, _) = await TestCar.AuthenticateAsync(Server, vin, secret);
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeAsync(vin, nonce, VehicleAuth.Proof(new byte[32], vin, nonce)));
        // That nonce is spent now, even with the right proof.
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeAsync(vin, nonce, VehicleAuth.Proof(secret, vin, nonce)));

        var (fresh, proof) = await TestCar.AuthenticateAsync(Server, vin, secret);
        server.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeAsync(vin, fresh, proof)); // expired

        var (unknownNonce, unknownProof) = await TestCar.AuthenticateAsync(Server, "WP0ZZZ99ZTS999999", secret);
        Assert.Equal(HttpStatusCode.Unauthorized, await UpgradeAsync("WP0ZZZ99ZTS999999", unknownNonce, unknownProof));

        var (good, goodProof) = await TestCar.AuthenticateAsync(Server, vin, secret);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, await UpgradeAsync(vin, good, goodProof));

        var bad = await server.Client.PostAsJsonAsync("/vehicle/v1/challenge", new { vin = "IOQ" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_vin");
        await (await server.Client.GetAsync("/vehicle/v1")).AssertProblemAsync(HttpStatusCode.BadRequest, "websocket_required");
    }

    [Fact]
    public async Task An_ack_of_commands_only_confirms_no_setting_but_an_ack_of_a_setting_or_of_frames_already_gone_does()
    {
        var (vin, _) = await server.RegisterVehicleAsync();
        var store = server.Get<Pitwall.Server.Gateway.VehicleLinkStore>();
        var expires = server.Clock.GetUtcNow().AddMinutes(5);
        var (command, _) = await store.EnqueueAsync(vin, new Envelope { Command = new Command { CommandId = "c1", Type = "flash" } }, expires, CancellationToken.None);
        var (setting, _) = await store.EnqueueAsync(vin, new Envelope { Configuration = new Configuration() }, expires, CancellationToken.None);

        // vehicle.frames_applied is announced for the cars returned: not for one whose ack took a command only (it has its own event) ...
        Assert.Empty(await store.AcknowledgedAsync([(vin, command)], CancellationToken.None));
        // ... for one whose ack took a setting ...
        Assert.Equal(vin, Assert.Single(await store.AcknowledgedAsync([(vin, setting)], CancellationToken.None)));
        // ... and, not knowing what left before (e.g. at the car's login), for an ack that finds nothing left.
        Assert.Equal(vin, Assert.Single(await store.AcknowledgedAsync([(vin, setting)], CancellationToken.None)));
    }
}

public sealed class GatewayOnSqlite(SqliteServer server) : GatewayTests(server), IClassFixture<SqliteServer>;

public sealed class GatewayOnPostgres(PostgresServer server) : GatewayTests(server), IClassFixture<PostgresServer>;
