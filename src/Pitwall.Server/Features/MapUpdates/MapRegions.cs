namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The map regions Pitwall builds and how each version of each is made (<c>pitwall admin maps-build</c>): version 1 is the region
/// cut from an OpenStreetMap extract in the shared data (<c>osmium extract</c>); each later version is the previous one with a
/// documented edit applied (<c>osmium apply-changes</c> with an OSM change file shipped in <c>Build/</c>), the way a newer extract
/// would change it. So every version is reproducible from the repository and the extract alone, and the increment between two
/// versions is whatever <c>osmium derive-changes</c> finds between them.
/// </summary>
internal static class MapRegions
{
    public static readonly IReadOnlyList<MapRegionRecipe> Shipped =
    [
        new("monaco", "Monaco", "osm-monaco/monaco.osm.pbf", new(7.4090, 43.7247, 7.4399, 43.7519),
        [
            new(1, "OpenStreetMap extract of March 2016 (osm-monaco), cut to Monaco", null),
            new(2, "version 1 with edit monaco-2.osc: a new street by the harbour, a lower speed limit on the Boulevard Albert 1er", "monaco-2.osc"),
        ]),
        new("heidelberg", "Heidelberg", "osm-heidelberg/heidelberg.osm.pbf", new(8.6400, 49.3800, 8.7300, 49.4250),
        [
            new(1, "OpenStreetMap extract of September 2024 (osm-heidelberg), cut to central Heidelberg", null),
            new(2, "version 1 with edit heidelberg-2.osc: a new access road in Bergheim, a 30 km/h zone on a main street", "heidelberg-2.osc"),
        ]),
    ];

    public static MapRegionRecipe? Find(string id) => Shipped.FirstOrDefault(r => r.Id == id);
}

/// <summary>A region: its id (what cars name), the extract it is cut from (relative to the shared data directory), its box and versions.</summary>
internal sealed record MapRegionRecipe(string Id, string Name, string Extract, BoundingBox Box, IReadOnlyList<MapVersionRecipe> Versions);

/// <summary>One version: what it is, and the edit (an OSM change file in <c>Build/</c>) applied to the previous version; null for version 1.</summary>
internal sealed record MapVersionRecipe(int Version, string Source, string? Edit);

/// <summary>West, south, east, north in WGS84 degrees.</summary>
internal readonly record struct BoundingBox(double West, double South, double East, double North)
{
    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{West},{South},{East},{North}");

    public static BoundingBox? Parse(string text)
    {
        var parts = text.Split(',');
        var values = new double[4];
        for (var i = 0; i < 4; i++)
        {
            if (parts.Length != 4 || !double.TryParse(parts[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out values[i]))
            {
                return null;
            }
        }
        return new(values[0], values[1], values[2], values[3]);
    }
}
