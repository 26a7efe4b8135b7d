using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.MapUpdates;

/// <summary>
/// The map data the map tests use: built once per test run with the real osmium-tool and tilemaker from the shared OpenStreetMap
/// extracts (<c>../shared/data</c>) into one directory; every server records it in its own database (a second build of unchanged
/// versions only records them). Without the tools the tests fail: ./test.sh installs them.
/// </summary>
internal static class MapData
{
    public static string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("pitwall-test-maps-").FullName;

    public static string SharedData => Path.GetFullPath(Path.Combine(PortalBrowser.RepositoryRoot(), "..", "shared", "data"));

    /// <summary>Settings for a server: the shared map directory, its own distribution log and issuer key.</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings(string own) =>
    [
        new("Pitwall:Maps:Directory", Directory),
        new("Pitwall:Maps:DistributionLog", Path.Combine(own, "distribution.log")),
        new("Pitwall:Maps:IssuerKeyDirectory", Path.Combine(own, "map-keys")),
    ];

    /// <summary>Builds (or records) every shipped region on the server.</summary>
    public static Task BuildAsync(PitwallServer server) =>
        server.Get<MapBuilder>().BuildAsync(SharedData, MapRegions.Shipped, CancellationToken.None);
}

public sealed class MapSqliteServer : SqliteServer
{
    public string Own { get; } = Directory.CreateTempSubdirectory("pitwall-map-server-").FullName;

    public string DistributionLog => Path.Combine(Own, "distribution.log");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => MapData.Settings(Own);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Own, recursive: true);
    }
}

public sealed class MapPostgresServer : PostgresServer
{
    public string Own { get; } = Directory.CreateTempSubdirectory("pitwall-map-server-").FullName;

    public string DistributionLog => Path.Combine(Own, "distribution.log");

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => MapData.Settings(Own);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Own, recursive: true);
    }
}
