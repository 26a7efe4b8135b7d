using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Web;

/// <summary><c>Pitwall:Portal</c>: where map tiles come from.</summary>
public sealed class PortalOptions
{
    public const string Section = "Pitwall:Portal";

    /// <summary>The external tile provider's URL template, for tiles outside the map regions Pitwall built itself (those it draws
    /// from its own map data); OpenStreetMap by default, empty for none (the portal then needs no internet). The page stays usable
    /// when tiles cannot load.</summary>
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    [Required]
    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";
}
