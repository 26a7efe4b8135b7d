using Pitwall.Server.Data;

namespace Pitwall.Server.Tests.Data;

/// <summary>The cache of per-request answers never serves one past its deadline or after a change committed.</summary>
public sealed class ShortLivedCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_answer_is_served_until_the_lifetime_or_its_own_end_whichever_comes_first()
    {
        var cache = new ShortLivedCache<string, int>(TimeSpan.FromSeconds(2));
        cache.Set("a", 1, generation: 7, Now, until: DateTimeOffset.MaxValue);
        cache.Set("b", 2, generation: 7, Now, until: Now.AddSeconds(1));

        Assert.True(cache.TryGet("a", 7, Now.AddSeconds(1.9), out var a));
        Assert.Equal(1, a);
        Assert.False(cache.TryGet("a", 7, Now.AddSeconds(2), out _));
        Assert.True(cache.TryGet("b", 7, Now.AddSeconds(0.9), out _));
        Assert.False(cache.TryGet("b", 7, Now.AddSeconds(1), out _));
    }

    [Fact]
    public void A_change_committed_since_the_answer_was_read_makes_it_stale()
    {
        var cache = new ShortLivedCache<string, int>(TimeSpan.FromSeconds(2));
        cache.Set("a", 1, generation: 7, Now, DateTimeOffset.MaxValue);

        Assert.False(cache.TryGet("a", 8, Now, out _));
    }

    [Fact]
    public void Without_a_lifetime_nothing_is_kept()
    {
        var cache = new ShortLivedCache<string, int>(TimeSpan.Zero);
        cache.Set("a", 1, generation: 0, Now, DateTimeOffset.MaxValue);

        Assert.False(cache.Enabled);
        Assert.False(cache.TryGet("a", 0, Now, out _));
    }

    [Fact]
    public void Replacing_an_answer_keeps_the_newest()
    {
        var cache = new ShortLivedCache<string, int>(TimeSpan.FromSeconds(2));
        cache.Set("a", 1, generation: 7, Now, DateTimeOffset.MaxValue);
        cache.Set("a", 2, generation: 8, Now, DateTimeOffset.MaxValue);

        Assert.True(cache.TryGet("a", 8, Now, out var value));
        Assert.Equal(2, value);
    }

    private sealed record Grant(string Vin, IReadOnlyList<string> Scopes);

    private static readonly IEqualityComparer<Grant> SameGrant =
        EqualityComparer<Grant>.Create((x, y) => x!.Vin == y!.Vin && x.Scopes.SequenceEqual(y.Scopes), g => g.Vin.GetHashCode());

    [Fact]
    public void An_answer_read_again_and_found_the_same_keeps_its_first_object_with_the_new_deadline_and_generation()
    {
        var cache = new ShortLivedCache<string, Grant>(TimeSpan.FromSeconds(2), SameGrant);
        var first = cache.Set("a", new Grant("car", ["read"]), generation: 7, Now, DateTimeOffset.MaxValue);
        var again = cache.Set("a", new Grant("car", ["read"]), generation: 8, Now.AddSeconds(2), DateTimeOffset.MaxValue);
        var changed = new Grant("car", ["read", "write"]);

        Assert.Same(first, again);
        Assert.False(cache.TryGet("a", 7, Now.AddSeconds(2), out _));
        Assert.True(cache.TryGet("a", 8, Now.AddSeconds(3.9), out var kept));
        Assert.Same(first, kept);
        Assert.Same(changed, cache.Set("a", changed, generation: 8, Now.AddSeconds(4), DateTimeOffset.MaxValue));
        Assert.True(cache.TryGet("a", 8, Now.AddSeconds(4), out var now) && ReferenceEquals(now, changed));
    }
}
