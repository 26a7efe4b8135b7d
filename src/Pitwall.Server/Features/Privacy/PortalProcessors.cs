using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

/// <summary>Processors the web portal hands data to (P4), for the categories whose data it shows on a map.</summary>
public static class PortalProcessors
{
    /// <summary>The portal's map tiles come straight from the provider to the browser; tile requests send no Referer (the
    /// page's address holds the VIN), so the provider learns which tiles a browser loads, and nothing else.</summary>
    public static readonly Processor MapTiles = new("Map tile provider (Pitwall:Portal:TileUrl; OpenStreetMap by default)",
        "map tiles for the portal's maps: the tile coordinates around a shown position and the browser's IP address; no VIN, name or account", true);
}
