using System.Text.RegularExpressions;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>
/// The EVSE a driver means: an EVSE ID (eMI3 / ISO 15118: country, operator id, <c>E</c>, the operator's own part — e.g.
/// <c>DE*SIM*EBNA00001*1</c>) typed in, or the URL of the station's QR code whose last path segment or <c>evse_id</c> query
/// parameter is one. Ids are compared without case and without the optional <c>*</c> separators.
/// </summary>
internal static partial class EvseIds
{
    /// <summary>The EVSE ID in upper case, or null when the text holds none.</summary>
    public static string? Parse(string? text)
    {
        text = text?.Trim();
        if (string.IsNullOrEmpty(text) || text.Length > 512)
        {
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https")
        {
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(url.Query);
            text = query.TryGetValue("evse_id", out var fromQuery) && fromQuery.Count == 1
                ? fromQuery[0]
                : Uri.UnescapeDataString(url.AbsolutePath.TrimEnd('/').Split('/')[^1]);
        }
        var id = text?.ToUpperInvariant();
        return id is not null && Shape().IsMatch(id) ? id : null;
    }

    /// <summary>The country code and operator (party) id an EVSE ID begins with.</summary>
    public static (string CountryCode, string PartyId) Party(string evseId)
    {
        var compact = evseId.Replace("*", "", StringComparison.Ordinal);
        return (compact[..2], compact[2..5]);
    }

    public static bool Same(string? a, string? b) =>
        a is not null && b is not null
        && string.Equals(a.Replace("*", "", StringComparison.Ordinal), b.Replace("*", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^[A-Z]{2}\*?[A-Z0-9]{3}\*?E[A-Z0-9][A-Z0-9*]{0,30}$")]
    private static partial Regex Shape();
}
