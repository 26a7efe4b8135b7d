using System.Net.Http.Json;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Commands;

/// <summary>A server restart in the middle of a command, with the simulated car: nothing lost, nothing done twice.</summary>
public abstract class CommandRestartTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_command_under_way_when_the_server_restarts_is_performed_once_and_its_outcome_kept()
    {
        var owner = await server.NewOwnerAsync();
        var (vin, secret) = await server.RegisterVehicleAsync();
        var client = server.ClientWith(owner.AccessToken);
        var me = (await (await client.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;
        await server.Get<PairingService>().AssignPrimaryAsync(vin, me, CancellationToken.None);
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 9, RecordReceivedFrames = true, RealisticCommandTimes = true,
            MinReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200),
        });
        var executed = new System.Collections.Concurrent.ConcurrentBag<string>();
        car.FrameReceived += (_, f) =>
        {
            if (f.Envelope.Command is { } command && !f.Duplicate)
            {
                executed.Add(command.CommandId);
            }
        };
        await car.ConnectAsync().WaitAsync(Patience);

        var lockId = (await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "lock", expiresInSeconds = 600 })).JsonAsync())
            .GetProperty("id").GetString()!;
        await car.WaitForFrameAsync(f => f.Command?.CommandId == lockId).WaitAsync(Patience);
        var flashId = (await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash", expiresInSeconds = 600 })).JsonAsync())
            .GetProperty("id").GetString()!;

        var restart = server.RestartAsync();
        car.Step(TimeSpan.FromSeconds(2)); // the car finishes the lock whether or not the server is there
        Assert.True(car.IsLocked);
        await restart;

        // The flash, queued behind the lock, goes out once the lock's outcome is in.
        await car.WaitForFrameAsync(f => f.Command?.CommandId == flashId).WaitAsync(Patience);
        car.Step(TimeSpan.FromSeconds(3));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        client = server.ClientWith(owner.AccessToken);
        foreach (var id in new[] { lockId, flashId })
        {
            var command = await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync();
            Assert.Equal("performed", command.GetProperty("state").GetString());
        }
        Assert.Equal(new[] { lockId, flashId }.Order(StringComparer.Ordinal), executed.Order(StringComparer.Ordinal)); // each reached the car's actuators once
        Assert.All(server.Ingested.Where(i => i.Vin == vin).GroupBy(i => i.Seq), g => Assert.Single(g)); // each frame stored once
        Assert.Equal(1, car.Reconnects);
    }
}

public sealed class CommandRestartOnSqlite(SqliteServer server) : CommandRestartTests(server), IClassFixture<SqliteServer>;

public sealed class CommandRestartOnPostgres(PostgresServer server) : CommandRestartTests(server), IClassFixture<PostgresServer>;
