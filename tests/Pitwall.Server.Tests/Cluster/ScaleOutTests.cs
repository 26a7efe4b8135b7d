using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Cluster;

/// <summary>
/// Issue 19: three instances on one PostgreSQL and one nats-server. Cars are connected to instance A, their owners call
/// instance C: what is addressed to a car reaches it through NATS, once.
/// </summary>
public sealed class ScaleOutTests(PitwallCluster cluster) : IClassFixture<PitwallCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<SimulatedVehicle> SimulatedAsync(ClusterInstance instance, string vin, byte[] secret)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = instance.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 5, RecordReceivedFrames = true });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    private static async Task<string> CommandAsync(HttpClient client, string vin, string type)
    {
        var accepted = await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type });
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        return (await accepted.JsonAsync()).GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Commands_through_C_are_performed_exactly_once_by_a_car_on_A()
    {
        var owned = await cluster.A.OwnedVehicleAsync();
        var commands = new List<string>();
        var received = new List<string>();
        await using var car = await SimulatedAsync(cluster.A, owned.Vin, owned.Secret);
        car.FrameReceived += (_, frame) =>
        {
            if (frame.Envelope.PayloadCase == Envelope.PayloadOneofCase.Command)
            {
                lock (received)
                {
                    received.Add(frame.Envelope.Command.CommandId + (frame.Duplicate ? " (again)" : ""));
                }
            }
        };
        using var owner = cluster.C.ClientFor(owned.Owner);
        foreach (var type in new[] { "lock", "flash", "honk_flash", "lock" })
        {
            var id = await CommandAsync(owner, owned.Vin, type);
            commands.Add(id);
            await car.WaitForFrameAsync(f => f.PayloadCase == Envelope.PayloadOneofCase.Command && f.Command.CommandId == id).WaitAsync(Patience);
        }
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        foreach (var id in commands)
        {
            var state = await WaitForStateAsync(owner, owned.Vin, id, "performed");
            Assert.Equal("performed", state);
        }
        lock (received)
        {
            Assert.Equal(commands, received); // each once, in order, none twice
        }
    }

    [Fact]
    public async Task A_refresh_through_C_returns_the_answer_of_a_car_on_A()
    {
        var owned = await cluster.A.OwnedVehicleAsync();
        await using var car = await SimulatedAsync(cluster.A, owned.Vin, owned.Secret);
        using var owner = cluster.C.ClientFor(owned.Owner);
        var refreshed = await owner.PostAsync($"/api/v1/vehicles/{owned.Vin}/status/refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.True((await refreshed.JsonAsync()).GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task Pairing_through_C_shows_the_code_on_a_car_on_A()
    {
        var (vin, secret) = await cluster.A.RegisterVehicleAsync();
        await using var car = await SimulatedAsync(cluster.A, vin, secret);
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        car.PairingCodeShown += (_, code) => shown.TrySetResult(code);
        var user = await cluster.C.NewOwnerAsync();
        using var owner = cluster.C.ClientFor(user);
        var pairing = await (await owner.PostAsJsonAsync("/api/v1/pairings", new { vin })).JsonAsync();
        var code = await shown.Task.WaitAsync(Patience);
        var confirmed = await owner.PostAsJsonAsync($"/api/v1/pairings/{pairing.GetProperty("id").GetString()}/confirm", new { code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task The_newest_connection_of_a_VIN_wins_across_instances_and_the_older_is_closed()
    {
        var owned = await cluster.A.OwnedVehicleAsync();
        await using var first = await TestCar.ConnectAsync(cluster.A.Client.BaseAddress!, owned.Vin, owned.Secret); // welcomed
        await using var second = await TestCar.ConnectAsync(cluster.B.Client.BaseAddress!, owned.Vin, owned.Secret);

        Assert.Equal(ProtocolError.Types.Code.Replaced, (await first.ReceiveAsync(Envelope.PayloadOneofCase.Error)).Error.Code);
        await first.WaitClosedAsync();
        using var owner = cluster.C.ClientFor(owned.Owner);
        var id = await CommandAsync(owner, owned.Vin, "flash");
        Assert.Equal(id, (await second.ReceiveAsync(Envelope.PayloadOneofCase.Command)).Command.CommandId);
    }

    [Fact]
    public async Task With_NATS_stopped_and_restarted_no_command_is_lost_and_health_goes_degraded_then_healthy()
    {
        var owned = await cluster.A.OwnedVehicleAsync();
        await using var car = await SimulatedAsync(cluster.A, owned.Vin, owned.Secret);
        using var owner = cluster.C.ClientFor(owned.Owner);
        await cluster.Nats.StopAsync();
        var stopped = true;
        try
        {
            Assert.Equal("Degraded", await HealthWhenAsync(cluster.C, "Degraded"));
            var id = await CommandAsync(owner, owned.Vin, "flash"); // nothing lost: it waits in the outbox

            await cluster.Nats.StartAgainAsync();
            stopped = false;
            await car.WaitForFrameAsync(f => f.PayloadCase == Envelope.PayloadOneofCase.Command && f.Command.CommandId == id).WaitAsync(Patience);
            Assert.Equal("performed", await WaitForStateAsync(owner, owned.Vin, id, "performed"));
            Assert.Equal("Healthy", await HealthWhenAsync(cluster.C, "Healthy"));
        }
        finally
        {
            if (stopped)
            {
                await cluster.Nats.StartAgainAsync(); // for the other tests of the class
            }
        }
    }

    /// <summary>The instance's readiness once it reads <paramref name="expected"/> (NATS's state changes in another process:
    /// the client notices within its reconnect period), or what it reads after the patience ran out.</summary>
    private static async Task<string> HealthWhenAsync(ClusterInstance instance, string expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string health;
        while ((health = await (await instance.Client.GetAsync("/health/ready")).Content.ReadAsStringAsync()) != expected && waited.Elapsed < Patience)
        {
            await Task.Delay(100);
        }
        return health;
    }

    /// <summary>The command's state once it is <paramref name="expected"/>: the car's result is stored on A, read through C.</summary>
    private static async Task<string> WaitForStateAsync(HttpClient client, string vin, string id, string expected)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        string state;
        while ((state = (await (await client.GetAsync($"/api/v1/vehicles/{vin}/commands/{id}")).JsonAsync()).GetProperty("state").GetString()!) != expected &&
               waited.Elapsed < Patience)
        {
            await Task.Delay(50);
        }
        return state;
    }
}
