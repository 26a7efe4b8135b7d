using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Cluster;

/// <summary>
/// Issue 19: <c>kill -9</c> of the instance holding 100 cars, behind HAProxy. The cars reconnect through the load balancer to
/// the other instances; commands queued while they were away arrive once; nothing the platform acked is lost; and the
/// dead instance's cars do not read as online meanwhile.
/// </summary>
[Collection(ProcessCluster.Collection)]
public sealed class InstanceKillTests(ProcessCluster cluster) : IClassFixture<ProcessCluster>
{
    private const int Cars = 100;
    private const int OwnedCars = 20; // 10 pairings per account and hour: two owners
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Killing_the_instance_holding_100_cars_moves_them_through_the_balancer_and_loses_nothing()
    {
        // Only A takes new connections while the fleet connects (an operator's maintenance state, through the runtime API).
        await cluster.Balancer.SetStateAsync("b", "maint");
        await cluster.Balancer.SetStateAsync("c", "maint");
        var vins = cluster.TakeVins(Cars);
        var cars = vins.Select(vin => new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = cluster.Balancer.Address, Vin = vin, Secret = ProcessCluster.Secret(vin), Seed = 11, RecordReceivedFrames = true,
            MinReconnectDelay = TimeSpan.FromMilliseconds(100), MaxReconnectDelay = TimeSpan.FromSeconds(1), PeriodicInterval = TimeSpan.FromHours(1),
        })).ToList();
        var commandsSeen = vins.ToDictionary(v => v, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var car in cars)
        {
            car.FrameReceived += (_, frame) =>
            {
                if (frame.Envelope.PayloadCase == Envelope.PayloadOneofCase.Command && !frame.Duplicate)
                {
                    lock (commandsSeen)
                    {
                        commandsSeen[car.Vin].Add(frame.Envelope.Command.CommandId);
                    }
                }
            };
        }
        try
        {
            await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (car, ct) => await car.ConnectAsync(ct).WaitAsync(Patience, ct));
            Assert.All((await cluster.HoldersAsync(vins)).Values, holder => Assert.Equal("A", holder));

            // Two owners pair ten cars each through C (the codes travel to A over NATS).
            var owners = await Task.WhenAll(Enumerable.Range(0, OwnedCars / 10).Select(async o =>
            {
                var owner = await cluster.NewOwnerAsync();
                using var client = cluster.C.ClientFor(owner);
                foreach (var car in cars.Skip(o * 10).Take(10))
                {
                    await PairAsync(client, car);
                }
                return owner;
            }));

            // Every car reports; what the platform acked is durable before the crash.
            await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (car, ct) =>
            {
                await car.SendStatusAsync(Trigger.Periodic);
                await car.WaitUntilAllAckedAsync(ct).WaitAsync(Patience, ct);
            });
            var acked = cars.ToDictionary(c => c.Vin, c => (long)c.LastAckedSeq, StringComparer.Ordinal);

            using var watcher = cluster.C.ClientFor(owners[0]);
            await using var events = await EventStream.OpenAsync(watcher);

            await cluster.A.Process.KillAsync(); // kill -9
            Assert.True(cluster.A.Process.HasExited);

            // Meanwhile (B and C still refuse new connections, A is dead) owners send commands through C: they wait in the outbox.
            var commands = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var o = 0; o < owners.Length; o++)
            {
                using var client = cluster.C.ClientFor(owners[o]);
                foreach (var car in cars.Skip(o * 10).Take(10))
                {
                    var accepted = await client.PostAsJsonAsync($"/api/v1/vehicles/{car.Vin}/commands", new { type = "flash" });
                    Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
                    commands[car.Vin] = (await accepted.JsonAsync()).GetProperty("id").GetString()!;
                }
            }

            // The dead instance's cars read as offline once its heartbeat is older than the timeout, not for ever.
            using (var first = cluster.C.ClientFor(owners[0]))
            {
                await UntilAsync(async () => (await (await first.GetAsync("/api/v1/vehicles")).JsonAsync()).EnumerateArray()
                    .All(v => !v.GetProperty("online").GetBoolean()), "the killed instance's cars still read as online");
            }
            await UntilAsync(async () => (await cluster.HoldersAsync(vins)).Values.All(h => h is null), "the killed instance's presence records were not cleared");
            // and the owner's app hears of each of its cars going offline, which the dead instance could not say
            var offline = new HashSet<string>(StringComparer.Ordinal);
            while (offline.Count < 10)
            {
                var gone = await events.NextAsync("vehicle.connection", d => !d.GetProperty("online").GetBoolean(), Patience);
                offline.Add(gone.GetProperty("vin").GetString()!);
            }
            Assert.Equal(cars.Take(10).Select(c => c.Vin).Order(), offline.Order());

            await cluster.Balancer.SetStateAsync("b", "ready");
            await cluster.Balancer.SetStateAsync("c", "ready");
            await UntilAsync(async () => (await cluster.HoldersAsync(vins)).Values.All(h => h is "B" or "C"), "not every car reconnected to B or C",
                async () => string.Join(", ", (await cluster.HoldersAsync(vins)).GroupBy(h => h.Value ?? "nobody").Select(g => $"{g.Key}: {g.Count()}")) +
                            "; cars connected: " + cars.Count(c => c.IsConnected) + ", connect failures: " + cars.Sum(c => c.ConnectFailures));
            var holders = await cluster.HoldersAsync(vins);
            Assert.Contains("B", holders.Values);
            Assert.Contains("C", holders.Values);

            for (var o = 0; o < owners.Length; o++)
            {
                using var client = cluster.B.ClientFor(owners[o]);
                foreach (var car in cars.Skip(o * 10).Take(10))
                {
                    Assert.Equal("performed", await LoadBalancedClusterTests.CommandStateAsync(client, car.Vin, commands[car.Vin], "performed"));
                }
            }
            lock (commandsSeen)
            {
                foreach (var (vin, id) in commands)
                {
                    Assert.Equal([id], commandsSeen[vin]); // once, and nothing else
                }
            }

            await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (car, ct) =>
                await car.WaitUntilAllAckedAsync(ct).WaitAsync(Patience, ct));
            var durable = await cluster.DurableSeqsAsync(vins);
            foreach (var car in cars)
            {
                Assert.True(durable[car.Vin] >= acked[car.Vin], $"{car.Vin}: acked {acked[car.Vin]}, durable {durable[car.Vin]}");
                Assert.Equal((long)car.LastSeq, durable[car.Vin]); // and what was resent after the crash is stored too
            }
            using (var first = cluster.B.ClientFor(owners[0]))
            {
                Assert.All((await (await first.GetAsync("/api/v1/vehicles")).JsonAsync()).EnumerateArray(), v => Assert.True(v.GetProperty("online").GetBoolean()));
            }
        }
        finally
        {
            await cluster.Balancer.SetStateAsync("b", "ready");
            await cluster.Balancer.SetStateAsync("c", "ready");
            await Task.WhenAll(cars.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static async Task PairAsync(HttpClient client, SimulatedVehicle car)
    {
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        car.PairingCodeShown += (_, code) => shown.TrySetResult(code);
        var started = await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var code = await shown.Task.WaitAsync(Patience);
        var confirmed = await client.PostAsJsonAsync($"/api/v1/pairings/{(await started.JsonAsync()).GetProperty("id").GetString()}/confirm", new { code });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    private static async Task UntilAsync(Func<Task<bool>> condition, string failure, Func<Task<string>>? state = null)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (waited.Elapsed > Patience)
            {
                Assert.Fail(failure + (state is null ? "" : " (" + await state() + ")"));
            }
            await Task.Delay(100);
        }
    }
}
