using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Web;

/// <summary><c>Pitwall:Portal</c>: where map tiles come from.</summary>
public sealed class PortalOptions
{
    public const string Section = "Pitwall:Portal";

    /// <summary>A Leaflet tile URL template; OpenStreetMap by default. The page stays usable when tiles cannot load.</summary>
    [Required]
    public string TileUrl { get; set; } = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

    [Required]
    public string TileAttribution { get; set; } = "© OpenStreetMap contributors";
}
