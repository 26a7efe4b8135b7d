namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>The stable problem codes of the map tile proxy (clients switch on these; never rename one).</summary>
internal static class MapTileErrorCodes
{
    public const string InvalidTile = "invalid_tile";
    public const string TileProviderFailed = "tile_provider_failed";
    public const string TileProviderTimeout = "tile_provider_timeout";
}
