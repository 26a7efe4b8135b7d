using System.Text;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Server.Cluster;

namespace Pitwall.Server.Tests.Cluster;

public sealed class ReplayRingTests
{
    private static readonly TestClock Clock = new();

    private static void Add(ReplayRing ring, int n, int jsonBytes = 10, string? key = null) =>
        ring.Add(n, Clock.GetTimestamp(), ReplayRing.KeyHashOf(key), Encoding.UTF8.GetBytes($"id.{n}"), Encoding.UTF8.GetBytes(new string('x', jsonBytes)));

    private static long[] After(ReplayRing ring, int n, IReadOnlySet<int>? keys = null) =>
        [.. ring.After(Encoding.UTF8.GetBytes($"id.{n}"), keys).Select(kept => kept.Position)];

    [Fact]
    public void A_replay_gives_every_event_after_the_last_one_seen_oldest_first_and_nothing_for_an_unknown_id()
    {
        var ring = new ReplayRing(100, 1 << 20);
        for (var n = 1; n <= 5; n++)
        {
            Add(ring, n);
        }
        Assert.Equal([3, 4, 5], After(ring, 2));
        Assert.Empty(After(ring, 5));
        Assert.Empty(After(ring, 99));
        Assert.Equal("xxxxxxxxxx", Encoding.UTF8.GetString(ring.After(Encoding.UTF8.GetBytes("id.4"), null).Single().Json));
    }

    [Fact]
    public void Beyond_its_capacity_the_oldest_events_go_and_a_client_that_saw_only_those_gets_no_replay()
    {
        var ring = new ReplayRing(3, 1 << 20);
        for (var n = 1; n <= 500; n++)
        {
            Add(ring, n);
        }
        Assert.Equal(3, ring.Count);
        Assert.Equal([499, 500], After(ring, 498));
        Assert.Empty(After(ring, 497));
    }

    [Fact]
    public void Within_its_byte_bound_the_buffer_wraps_and_every_kept_event_reads_back_whole()
    {
        var ring = new ReplayRing(1_000_000, 4096);
        for (var n = 1; n <= 10_000; n++)
        {
            ring.Add(n, 0, 0, Encoding.UTF8.GetBytes($"id.{n}"), Encoding.UTF8.GetBytes($"{{\"n\":{n},\"pad\":\"{new string('p', n % 97)}\"}}"));
        }
        Assert.InRange(ring.Count, 20, 200);
        var oldest = 10_001 - ring.Count;
        var replay = ring.After(Encoding.UTF8.GetBytes($"id.{oldest}"), null);
        Assert.Equal(ring.Count - 1, replay.Count);
        foreach (var (position, json) in replay)
        {
            Assert.Equal($"{{\"n\":{position},\"pad\":\"{new string('p', (int)(position % 97))}\"}}", Encoding.UTF8.GetString(json));
        }
    }

    [Fact]
    public void An_event_larger_than_the_bound_empties_the_ring_so_that_no_replay_skips_it()
    {
        var ring = new ReplayRing(100, 1024);
        Add(ring, 1);
        Add(ring, 2, jsonBytes: 2000);
        Add(ring, 3);
        Assert.Equal(1, ring.Count);
        Assert.Empty(After(ring, 1));
    }

    [Fact]
    public void Events_older_than_the_window_go()
    {
        var ring = new ReplayRing(100, 1 << 20);
        Add(ring, 1);
        Clock.Advance(TimeSpan.FromMinutes(3));
        Add(ring, 2);
        Clock.Advance(TimeSpan.FromMinutes(3));
        ring.RemoveOlderThan(Clock, Clock.GetTimestamp(), TimeSpan.FromMinutes(5));
        Assert.Equal(1, ring.Count);
        Assert.Empty(After(ring, 1));
    }

    [Fact]
    public void A_replay_for_some_keys_gives_only_the_events_under_those_keys()
    {
        var ring = new ReplayRing(100, 1 << 20);
        Add(ring, 1, key: "car-a");
        Add(ring, 2, key: "car-b");
        Add(ring, 3, key: "car-a");
        Add(ring, 4);
        Assert.Equal([3], After(ring, 1, new HashSet<int> { ReplayRing.KeyHashOf("car-a") }));
        Assert.Equal([2, 3, 4], After(ring, 1));
    }

    [Fact]
    public void A_ring_of_no_capacity_keeps_nothing()
    {
        var ring = new ReplayRing(0, 1 << 20);
        Add(ring, 1);
        Assert.Equal(0, ring.Count);
    }
}
