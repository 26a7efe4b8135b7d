namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The stable problem codes of online map update and the map distribution (clients switch on these; never rename one).</summary>
internal static class MapUpdateErrorCodes
{
    public const string TokenMissing = "map_token_missing";
    public const string TokenInvalid = "map_token_invalid";
    public const string TokenSpent = "map_token_spent";
    public const string TokenKeyRetired = "map_token_key_retired";
    public const string PackageNotFound = "map_package_not_found";
}
