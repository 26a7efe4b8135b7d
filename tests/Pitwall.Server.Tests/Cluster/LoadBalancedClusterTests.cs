using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Cluster;

/// <summary>
/// Issue 19 as deployed: three <c>pitwall serve</c> processes behind HAProxy (the shipped deploy/haproxy/pitwall.cfg), one
/// PostgreSQL, one nats-server. Cars connect through the load balancer, wherever it sends them; owners call the other
/// instances directly.
/// </summary>
[Collection(ProcessCluster.Collection)]
public sealed class LoadBalancedClusterTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>A simulated car of the fleet, connected through the load balancer, and the instance holding it.</summary>
    private async Task<(SimulatedVehicle Car, ServeProcess Holder, ServeProcess[] Others)> CarThroughBalancerAsync()
    {
        var vin = cluster.TakeVins(1)[0];
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = cluster.Balancer.Address, Vin = vin, Secret = ProcessCluster.Secret(vin), Seed = 7, RecordReceivedFrames = true,
            MinReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1),
        });
        await car.ConnectAsync().WaitAsync(Patience);
        var holder = (await cluster.HoldersAsync([vin]))[vin];
        Assert.NotNull(holder);
        return (car, cluster.Instances.Single(i => i.Name == holder), [.. cluster.Instances.Where(i => i.Name != holder)]);
    }

    /// <summary>Pairs the car to a new owner through <paramref name="through"/>: the code reaches the car wherever it is.</summary>
    private async Task<TestUser> PairAsync(SimulatedVehicle car, ServeProcess through)
    {
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        car.PairingCodeShown += (_, code) => shown.TrySetResult(code);
        var owner = await cluster.NewOwnerAsync();
        using var client = through.ClientFor(owner);
        var started = await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var pairing = await started.JsonAsync();
        Assert.True(pairing.GetProperty("carOnline").GetBoolean()); // online anywhere, not only here
        var code = await shown.Task.WaitAsync(Patience);
        var confirmed = await client.PostAsJsonAsync($"/api/v1/pairings/{pairing.GetProperty("id").GetString()}/confirm", new { code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        return owner;
    }

    [Fact]
    public async Task Pairing_through_another_instance_shows_the_code_on_a_car_behind_the_balancer()
    {
        var (car, _, others) = await CarThroughBalancerAsync();
        await using var _ = car;
        var owner = await PairAsync(car, others[0]);
        using var client = others[1].ClientFor(owner);
        var mine = await (await client.GetAsync("/api/v1/vehicles")).JsonAsync();
        var listed = Assert.Single(mine.EnumerateArray());
        Assert.Equal(car.Vin, listed.GetProperty("vin").GetString());
        Assert.True(listed.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task Commands_through_another_instance_are_performed_exactly_once_and_a_refresh_answers()
    {
        var (car, _, others) = await CarThroughBalancerAsync();
        await using var _ = car;
        var owner = await PairAsync(car, others[0]);
        var received = new List<string>();
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
        using var client = others[1].ClientFor(owner);
        var commands = new List<string>();
        foreach (var type in new[] { "lock", "flash", "honk_flash", "lock" })
        {
            var accepted = await client.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/commands", new { type });
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
            commands.Add((await accepted.JsonAsync()).GetProperty("id").GetString()!);
        }
        foreach (var id in commands)
        {
            Assert.Equal("performed", await CommandStateAsync(client, car.Vin, id, "performed"));
        }
        lock (received)
        {
            Assert.Equal(commands, received); // each once, in order, none twice
        }

        using var refresher = others[0].ClientFor(owner);
        var refreshed = await refresher.PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        Assert.True((await refreshed.JsonAsync()).GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task An_event_stream_on_another_instance_and_one_through_the_balancer_see_the_cars_events()
    {
        var (car, _, others) = await CarThroughBalancerAsync();
        await using var _ = car;
        var owner = await PairAsync(car, others[0]);
        using var direct = others[1].ClientFor(owner);
        await using var onOther = await EventStream.OpenAsync(direct);
        using var balanced = new HttpClient { BaseAddress = cluster.Balancer.Address };
        balanced.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", owner.AccessToken);
        await using var throughBalancer = await EventStream.OpenAsync(balanced);

        using var client = others[0].ClientFor(owner);
        var accepted = await client.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/commands", new { type = "flash" });
        var id = (await accepted.JsonAsync()).GetProperty("id").GetString();
        // The car's result is stored by the instance holding it, and published there.
        await onOther.NextAsync("vehicle.command", d => d.GetProperty("id").GetString() == id && d.GetProperty("state").GetString() == "performed", Patience);
        await throughBalancer.NextAsync("vehicle.command", d => d.GetProperty("id").GetString() == id && d.GetProperty("state").GetString() == "performed", Patience);
    }

    [Fact]
    public async Task Refreshes_are_limited_per_account_and_car_over_all_instances()
    {
        var (car, _, _) = await CarThroughBalancerAsync();
        await using var _ = car;
        var owner = await PairAsync(car, cluster.A);
        var statuses = new List<HttpStatusCode>();
        // Six a minute (Pitwall:Status:RefreshesPerMinute) in all: with a counter per instance, each of the three allowed six.
        for (var attempt = 0; attempt < 7; attempt++)
        {
            using var client = cluster.Instances[attempt % 3].ClientFor(owner);
            using var response = await client.PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null);
            statuses.Add(response.StatusCode);
            if (attempt == 6)
            {
                Assert.Equal("rate_limited", (await response.JsonAsync()).GetProperty("code").GetString());
                Assert.InRange(int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
            }
        }
        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.OK, 6), HttpStatusCode.TooManyRequests], statuses);
    }

    internal static async Task<string> CommandStateAsync(HttpClient client, string vin, string id, string expected)
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
