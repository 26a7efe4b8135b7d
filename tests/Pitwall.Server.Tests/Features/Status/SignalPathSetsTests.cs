using Pitwall.Protocol;
using Pitwall.Server.Features.Status;

namespace Pitwall.Server.Tests.Features.Status;

/// <summary>Reports that name the same signals share one array of paths for their live events (issue 17).</summary>
public sealed class SignalPathSetsTests
{
    private static string[] PathsOf(SignalPathSets sets, params Signal[] signals)
    {
        sets.Clear();
        foreach (var signal in signals)
        {
            sets.Add(signal.Id, signal.Path);
        }
        return sets.Paths();
    }

    [Fact]
    public void The_same_signals_in_the_same_order_share_one_array_and_any_other_list_gets_its_own()
    {
        var sets = new SignalPathSets();
        var first = PathsOf(sets, SignalCatalog.Latitude, SignalCatalog.Longitude, SignalCatalog.Speed);
        var again = PathsOf(sets, SignalCatalog.Latitude, SignalCatalog.Longitude, SignalCatalog.Speed);
        var reordered = PathsOf(sets, SignalCatalog.Longitude, SignalCatalog.Latitude, SignalCatalog.Speed);
        var fewer = PathsOf(sets, SignalCatalog.Latitude, SignalCatalog.Longitude);

        Assert.Same(first, again);
        Assert.Equal([SignalCatalog.Latitude.Path, SignalCatalog.Longitude.Path, SignalCatalog.Speed.Path], first);
        Assert.Equal([SignalCatalog.Longitude.Path, SignalCatalog.Latitude.Path, SignalCatalog.Speed.Path], reordered);
        Assert.Equal([SignalCatalog.Latitude.Path, SignalCatalog.Longitude.Path], fewer);
        Assert.NotSame(first, reordered);
    }

    [Fact]
    public void A_signal_named_twice_is_kept_twice_as_the_report_had_it()
    {
        var sets = new SignalPathSets();
        Assert.Equal([SignalCatalog.Speed.Path, SignalCatalog.Speed.Path], PathsOf(sets, SignalCatalog.Speed, SignalCatalog.Speed));
    }
}
