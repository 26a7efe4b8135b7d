using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

/// <summary>Processors the web portal hands data to (P4), for the categories whose data it shows on a map.</summary>
public static class PortalProcessors
{
    /// <summary>The portal's map tiles come through the server's tile proxy (<c>/tiles/{z}/{x}/{y}.png</c>, see
    /// <see cref="Processors.MapTileProxy"/>): the provider sees the server's address and the tile coordinates, never the
    /// browser's address, cookies, Referer or User-Agent, and repeated tiles come from the server's cache.</summary>
    public static readonly Processor MapTiles = new("Map tile provider (Pitwall:Portal:TileUrl; OpenStreetMap by default)",
        "map tiles for the portal's maps, fetched by the server; the provider sees the server, not the browser", true,
        DataElement.TileCoordinates);
}
