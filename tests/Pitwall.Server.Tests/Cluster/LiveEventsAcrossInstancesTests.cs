using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Cluster;

/// <summary>
/// Issue 19: live events (SSE) of the whole platform on every instance, with <c>id:</c> and <c>Last-Event-ID</c> replay, and
/// comment heartbeats that keep proxies from closing a quiet stream.
/// </summary>
public sealed class LiveEventsAcrossInstancesTests(PitwallCluster cluster) : IClassFixture<PitwallCluster>
{
    private static async Task ReportAsync(TestCar car, Signal signal, double value, DateTimeOffset at) =>
        await car.WaitForAckAsync(await car.ReportAsync(Trigger.Periodic, TestCar.Number(signal, value, at)));

    /// <summary>A vehicle.status event names the signals that changed.</summary>
    private static bool Changed(System.Text.Json.JsonElement data, Signal signal) =>
        data.GetProperty("signals").EnumerateArray().Any(s => s.GetString() == signal.Path);

    [Fact]
    public async Task An_SSE_client_on_B_sees_the_events_of_a_car_on_A_and_after_reconnecting_to_C_what_it_missed()
    {
        var owned = await cluster.A.OwnedVehicleAsync();
        using var onB = cluster.B.ClientFor(owned.Owner);
        var stream = await EventStream.OpenAsync(onB);
        await using var car = await TestCar.ConnectAsync(cluster.A.Client.BaseAddress!, owned.Vin, owned.Secret);
        var now = cluster.A.Clock.GetUtcNow();
        await ReportAsync(car, SignalCatalog.Speed, 12, now);
        await stream.NextAsync("vehicle.status", d => Changed(d, SignalCatalog.Speed));
        var seen = stream.LastEventId;
        Assert.False(string.IsNullOrEmpty(seen));
        await stream.DisposeAsync();

        await ReportAsync(car, SignalCatalog.Odometer, 34_000, now.AddSeconds(1)); // while the client is away
        using var onC = cluster.C.ClientFor(owned.Owner);
        await using var again = await EventStream.OpenAsync(onC, lastEventId: seen);
        await again.NextAsync("vehicle.status", d => Changed(d, SignalCatalog.Odometer));
        Assert.NotEqual(seen, again.LastEventId);
    }

    [Fact]
    public async Task A_quiet_stream_gets_comment_heartbeats()
    {
        var owner = await cluster.B.NewOwnerAsync();
        using var client = cluster.B.ClientFor(owner);
        await using var stream = await EventStream.OpenAsync(client);
        var heard = false;
        for (var attempt = 0; attempt < 20 && !heard; attempt++)
        {
            cluster.B.Clock.Advance(TimeSpan.FromSeconds(15)); // the stream's idle timer may start just after "ready"
            heard = await stream.CommentWithinAsync(TimeSpan.FromSeconds(1));
        }
        Assert.True(heard);
    }
}
