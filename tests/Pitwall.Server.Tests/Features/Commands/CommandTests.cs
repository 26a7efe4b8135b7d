using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Commands;

/// <summary>Remote commands end to end over the vehicle link, on each engine.</summary>
public abstract class CommandTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> SimulatedAsync(string vin, byte[] secret)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 3, RecordReceivedFrames = true });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string vin, object body, string? idempotencyKey = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/vehicles/{vin}/commands") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return client.SendAsync(request);
    }

    private static async Task<JsonElement> WaitForOutcomeAsync(HttpClient client, string vin, string id, SimulatedVehicle car)
    {
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        return await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync();
    }

    [Fact]
    public async Task Lock_goes_accepted_sent_performed_and_the_car_is_locked()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await using var car = await SimulatedAsync(vin, secret);
        var accepted = await SendAsync(client, vin, new { type = "lock" });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var command = await accepted.JsonAsync();
        Assert.Equal("sent", command.GetProperty("state").GetString());
        Assert.Equal(accepted.Headers.Location!.ToString(), $"/api/v1/vehicles/{vin}/commands/{command.GetProperty("id").GetString()}");

        var done = await car.WaitForFrameAsync(f => f.PayloadCase == Envelope.PayloadOneofCase.Command).WaitAsync(Patience);
        var outcome = await WaitForOutcomeAsync(client, vin, command.GetProperty("id").GetString()!, car);
        Assert.Equal("performed", outcome.GetProperty("state").GetString());
        Assert.True(car.IsLocked);
        Assert.Equal("lock", (await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands")).JsonAsync())[0].GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_car_with_an_open_door_refuses_to_lock_and_says_why()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await using var car = await SimulatedAsync(vin, secret);
        await car.OpenDoorAsync();
        var id = (await (await SendAsync(client, vin, new { type = "lock" })).JsonAsync()).GetProperty("id").GetString()!;
        await car.WaitForFrameAsync(f => f.PayloadCase == Envelope.PayloadOneofCase.Command).WaitAsync(Patience);
        var outcome = await WaitForOutcomeAsync(client, vin, id, car);
        Assert.Equal("failed", outcome.GetProperty("state").GetString());
        Assert.Equal("door_open", outcome.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Unlock_needs_the_pin_proven_without_sending_it_and_wrong_pins_lock_it()
    {
        var (owner, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await using var car = await SimulatedAsync(vin, secret);
        await (await client.PostAsync($"/api/v1/vehicles/{vin}/commands/pin-challenge", null)).AssertProblemAsync(HttpStatusCode.Conflict, "pin_not_set");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "4711" })).StatusCode);
        await (await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "12ab" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        async Task<HttpResponseMessage> UnlockAsync(string pin)
        {
            var challengeResponse = await client.PostAsync($"/api/v1/vehicles/{vin}/commands/pin-challenge", null);
            Assert.True(challengeResponse.IsSuccessStatusCode, await challengeResponse.Content.ReadAsStringAsync());
            var challenge = await challengeResponse.JsonAsync();
            var proof = RemotePins.Proof(pin, challenge.GetProperty("salt").GetString()!, challenge.GetProperty("challenge").GetString()!);
            return await SendAsync(client, vin, new { type = "unlock", challenge = challenge.GetProperty("challenge").GetString(), pinProof = proof });
        }

        await (await SendAsync(client, vin, new { type = "unlock" })).AssertProblemAsync(HttpStatusCode.BadRequest, "pin_challenge_invalid");
        await (await UnlockAsync("0000")).AssertProblemAsync(HttpStatusCode.Forbidden, "wrong_pin");
        await (await UnlockAsync("1111")).AssertProblemAsync(HttpStatusCode.Forbidden, "wrong_pin");
        await (await UnlockAsync("2222")).AssertProblemAsync(HttpStatusCode.Locked, "pin_locked");
        await (await UnlockAsync("4711")).AssertProblemAsync(HttpStatusCode.Locked, "pin_locked"); // even the right PIN, while locked

        server.Clock.Advance(RemotePins.LockDuration);
        client = server.ClientWith((await server.SignInAsync(owner.Email, owner.Password)).AccessToken); // the old token expired meanwhile
        var unlocked = await UnlockAsync("4711");
        Assert.Equal(HttpStatusCode.Accepted, unlocked.StatusCode);
        await car.WaitForFrameAsync(f => f.PayloadCase == Envelope.PayloadOneofCase.Command).WaitAsync(Patience);
        var outcome = await WaitForOutcomeAsync(client, vin, (await unlocked.JsonAsync()).GetProperty("id").GetString()!, car);
        Assert.Equal("performed", outcome.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Commands_for_one_car_go_one_at_a_time_in_order()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        var ids = new List<string>();
        foreach (var type in new[] { "flash", "lock", "honk_flash" })
        {
            ids.Add((await (await SendAsync(client, vin, new { type })).JsonAsync()).GetProperty("id").GetString()!);
        }
        foreach (var (id, type) in ids.Zip(new[] { "flash", "lock", "honk_flash" }))
        {
            var frame = await car.ReceiveAsync(Envelope.PayloadOneofCase.Command);
            Assert.Equal((id, type), (frame.Command.CommandId, frame.Command.Type));
            await car.SendAsync(new Envelope { Ack = new Ack { UpToSeq = frame.Seq } });
            // Nothing else may be in flight while this one runs.
            var states = (await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands")).JsonAsync()).EnumerateArray().Select(c => c.GetProperty("state").GetString()).ToList();
            Assert.Equal(1, states.Count(s => s == "sent"));
            var seq = car.NextSeq();
            await car.SendAsync(new Envelope { Seq = seq, CommandResult = new CommandResult { CommandId = id, Outcome = CommandResult.Types.Outcome.Performed } });
            await car.WaitForAckAsync(seq);
        }
    }

    [Fact]
    public async Task An_idempotency_key_returns_the_first_command()
    {
        var (_, _, client, vin, _) = await server.OwnedVehicleAsync();
        var first = await (await SendAsync(client, vin, new { type = "flash" }, "key-1")).JsonAsync();
        var again = await (await SendAsync(client, vin, new { type = "flash" }, "key-1")).JsonAsync();
        Assert.Equal(first.GetProperty("id").GetString(), again.GetProperty("id").GetString());
        Assert.Equal(1, (await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task A_command_for_an_offline_car_expires_as_vehicle_offline_and_is_never_delivered_late()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        var id = (await (await SendAsync(client, vin, new { type = "lock", expiresInSeconds = 30 })).JsonAsync()).GetProperty("id").GetString()!;
        server.Clock.Advance(TimeSpan.FromSeconds(31));
        await server.Get<CommandJob>().RunOnceAsync(CancellationToken.None);
        var command = await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync();
        Assert.Equal("expired", command.GetProperty("state").GetString());
        Assert.Equal("vehicle_offline", command.GetProperty("reason").GetString());

        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.Periodic));
        var next = (await (await SendAsync(client, vin, new { type = "flash" })).JsonAsync()).GetProperty("id").GetString();
        Assert.Equal(next, (await car.ReceiveAsync(Envelope.PayloadOneofCase.Command)).Command.CommandId); // the expired lock never arrives
    }

    [Fact]
    public async Task A_command_survives_a_reconnect_mid_command_and_is_done_once()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        var first = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        var id = (await (await SendAsync(client, vin, new { type = "lock" })).JsonAsync()).GetProperty("id").GetString()!;
        var frame = await first.ReceiveAsync(Envelope.PayloadOneofCase.Command);
        var resultSeq = first.NextSeq();
        var result = new Envelope { Seq = resultSeq, CommandResult = new CommandResult { CommandId = id, Outcome = CommandResult.Types.Outcome.Performed } };
        await first.SendAsync(result);
        await first.DisposeAsync(); // gone before any ack

        // The car did not ack the command frame, so it comes again; the car knows it by seq and resends its result.
        await using var second = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        Assert.Equal(frame.Seq, (await second.ReceiveAsync(Envelope.PayloadOneofCase.Command)).Seq);
        await second.SendAsync(new Envelope { Ack = new Ack { UpToSeq = frame.Seq } });
        await second.SendAsync(result);
        await second.WaitForAckAsync(resultSeq);

        Assert.Equal(1, server.Ingested.Count(i => i.Vin == vin && i.Seq == (long)resultSeq));
        Assert.Equal("performed", (await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync()).GetProperty("state").GetString());
    }

    [Fact]
    public async Task Refusals_name_their_reason()
    {
        var (owner, _, client, vin, secret) = await server.OwnedVehicleAsync();
        await (await SendAsync(client, vin, new { type = "self_destruct" })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await SendAsync(client, vin, new { type = "climate_start", parameters = new { targetTemperature = "45" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await SendAsync(client, vin, new { type = "charge_settings", parameters = new { targetStateOfCharge = "20" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var driver = await server.NewOwnerAsync();
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/drivers", new { email = driver.Email });
        var driverClient = server.ClientWith(driver.AccessToken);
        await (await SendAsync(driverClient, vin, new { type = "charge_settings", parameters = new { targetStateOfCharge = "80" } })).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden_for_role");
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(driverClient, vin, new { type = "flash" })).StatusCode);

        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await SendAsync(stranger, vin, new { type = "flash" })).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await stranger.GetAsync($"/api/v1/vehicles/{vin}/commands")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        foreach (var (privacy, code) in new[]
        {
            (new PrivacySettings { PrivateMode = true }, "privacy_mode"),
            (new PrivacySettings { RemoteAccessDisabled = true }, "remote_access_disabled"),
            (new PrivacySettings { DisabledServices = { ServiceIds.Climate } }, "service_disabled"),
        })
        {
            await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret, privacy: privacy);
            await (await SendAsync(client, vin, new { type = "climate_start", parameters = new { targetTemperature = "21" } })).AssertProblemAsync(HttpStatusCode.Conflict, code);
        }
    }

    [Fact]
    public async Task Unpairing_withdraws_open_commands_so_the_car_never_gets_them()
    {
        var (_, _, client, vin, secret) = await server.OwnedVehicleAsync();
        var id = (await (await SendAsync(client, vin, new { type = "unlock_me_later", parameters = new { } })).JsonAsync());
        Assert.Equal("validation_failed", id.GetProperty("code").GetString());
        var lockId = (await (await SendAsync(client, vin, new { type = "lock", expiresInSeconds = 3600 })).JsonAsync()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/vehicles/{vin}")).StatusCode);
        server.Clock.Advance(TimeSpan.FromSeconds(1)); // the next owner arrives later

        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret);
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.Periodic));
        var owner = await server.NewOwnerAsync();
        var me = (await (await server.ClientWith(owner.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;
        await server.Get<PairingService>().AssignPrimaryAsync(vin, me, CancellationToken.None);
        var next = (await (await SendAsync(server.ClientWith(owner.AccessToken), vin, new { type = "flash" })).JsonAsync()).GetProperty("id").GetString();
        Assert.Equal(next, (await car.ReceiveAsync(Envelope.PayloadOneofCase.Command)).Command.CommandId); // the old lock never arrives
        // The new owner does not see the previous owner's commands.
        var history = await (await server.ClientWith(owner.AccessToken).GetAsync($"/api/v1/vehicles/{vin}/commands")).JsonAsync();
        Assert.DoesNotContain(lockId, history.GetRawText());
    }

    [Fact]
    public async Task Changing_a_pin_needs_the_password_and_bad_parameters_are_refused()
    {
        var (owner, _, client, vin, _) = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "4711" })).StatusCode);
        await (await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "1234" })).AssertProblemAsync(HttpStatusCode.BadRequest, "wrong_password");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "1234", currentPassword = owner.Password })).StatusCode);

        await (await SendAsync(client, vin, new { type = "climate_start", parameters = new Dictionary<string, string?> { ["targetTemperature"] = "20", ["zones"] = null } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await SendAsync(client, vin, new { type = "charge_settings", parameters = new Dictionary<string, string?> { ["targetStateOfCharge"] = "80", ["x"] = "y" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await SendAsync(client, vin, new { type = "charge_timer_set", parameters = new Dictionary<string, string?> { ["timerId"] = "1", ["time"] = null } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}

public sealed class CommandsOnSqlite(SqliteServer server) : CommandTests(server), IClassFixture<SqliteServer>;

public sealed class CommandsOnPostgres(PostgresServer server) : CommandTests(server), IClassFixture<PostgresServer>;
