using Microsoft.Extensions.Options;
using Pitwall.Server.Cluster;
using Pitwall.Server.Features.LiveEvents;

namespace Pitwall.Server.Tests.Cluster;

public sealed class LiveFeedFanOutTests
{
    private const string CarA = "WP0ZZZ99ZTS392124";
    private const string CarB = "WP0ZZZ99ZTS392125";

    private static LiveEventHub NewHub()
    {
        var options = Options.Create(new ClusterOptions());
        return new LiveEventHub(new SingleInstanceBus(options), TimeProvider.System, options);
    }

    private static LiveEvent Status(string vin) => new(vin, "vehicle.status", new { vin }, DateTimeOffset.UnixEpoch);

    private static List<string> Drain(LiveEventHub.Subscription subscription)
    {
        var seen = new List<string>();
        while (subscription.Events.TryRead(out var e))
        {
            seen.Add(e.AccountId ?? e.Vin);
        }
        return seen;
    }

    [Fact]
    public void A_stream_gets_the_events_of_the_cars_it_follows_and_of_its_account_and_nothing_else()
    {
        var hub = NewHub();
        using var alice = hub.Subscribe("account-alice", [CarA]);
        using var bob = hub.Subscribe("account-bob", [CarA, CarB]);

        hub.Publish(Status(CarA));
        hub.Publish(Status(CarB));
        hub.Publish(new LiveEvent(CarB, "vehicle.paired", new { }, DateTimeOffset.UnixEpoch, AccountId: "account-alice"));

        Assert.Equal([CarA, "account-alice"], Drain(alice));
        Assert.Equal([CarA, CarB], Drain(bob));
    }

    [Fact]
    public void Following_other_cars_moves_the_stream_to_their_events_and_a_closed_stream_gets_none()
    {
        var hub = NewHub();
        var alice = hub.Subscribe("account-alice", [CarA]);
        using var bob = hub.Subscribe("account-bob", [CarA]);

        alice.Follow([CarB]);
        hub.Publish(Status(CarA));
        hub.Publish(Status(CarB));
        Assert.Equal([CarB], Drain(alice));
        Assert.Equal([CarA], Drain(bob));

        alice.Dispose();
        alice.Follow([CarA]); // a late refresh after the stream closed must not bring it back
        hub.Publish(Status(CarA));
        Assert.Empty(Drain(alice));
        Assert.Equal([CarA], Drain(bob));
    }

    private enum Gear { Park, DriveForward }

    [Fact]
    public void A_stream_that_reconnects_gets_what_it_missed_of_its_cars_with_their_ids_written_as_the_api_writes_them()
    {
        var hub = NewHub();
        var watching = hub.Subscribe("account-alice", [CarA]);
        hub.Publish(Status(CarA));
        hub.Publish(new LiveEvent(CarA, "vehicle.status", new { vin = CarA, gear = Gear.DriveForward }, DateTimeOffset.UnixEpoch));
        hub.Publish(Status(CarB));
        hub.Publish(new LiveEvent(CarB, "vehicle.paired", new { }, DateTimeOffset.UnixEpoch, AccountId: "account-alice"));
        var heard = new List<LiveEvent>();
        while (watching.Events.TryRead(out var e))
        {
            heard.Add(e);
        }
        watching.Dispose();

        using var again = hub.Subscribe("account-alice", [CarA], lastEventId: heard[0].EventId);
        Assert.Equal(heard.Skip(1).Select(e => (e.EventId, e.Position, e.Type)), again.Missed.Select(e => (e.EventId, e.Position, e.Type)));
        var data = Assert.IsType<System.Text.Json.JsonElement>(again.Missed[0].Data);
        Assert.Equal("drive_forward", data.GetProperty("gear").GetString());
        Assert.Equal("account-alice", again.Missed[1].AccountId);
        using var unknown = hub.Subscribe("account-alice", [CarA], lastEventId: "no-longer-kept.1");
        Assert.Empty(unknown.Missed);
    }
}
