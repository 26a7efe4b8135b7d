using Microsoft.Extensions.Localization;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The words for a case's codes, the same on the security centre's and the authority's pages and in the printable
/// report: English, and the keys of their German and French texts (CarSecurityText.de/fr.resx) through the portal's localizer.</summary>
public static class CaseWording
{
    public static string Reason(string reason) => reason switch
    {
        TheftReasons.UnauthorisedMovement => "Unauthorised movement",
        TheftReasons.Tampering => "Tampering",
        TheftReasons.Alarm => "Alarm",
        TheftReasons.RemoteRequest => "Tracking requested",
        _ => reason,
    };

    public static string State(string state) => state switch
    {
        CaseStates.Open => "Open",
        CaseStates.HandedOver => "Handed to the authority",
        CaseStates.Closed => "Closed",
        _ => state,
    };

    public static string Outcome(string? outcome) => outcome switch
    {
        CaseOutcomes.FalseAlarm => "False alarm",
        CaseOutcomes.TheftConfirmed => "Theft confirmed",
        CaseOutcomes.Recovered => "Recovered",
        null => "",
        _ => outcome,
    };

    /// <summary>How the case started, in the reader's language (the owner's page has the car's words, in lower case).</summary>
    public static string Source(string source, IStringLocalizer t) => source switch
    {
        CaseSources.Car => t["detected by the car"].Value is { Length: > 0 } words ? char.ToUpperInvariant(words[0]) + words[1..] : "",
        CaseSources.Owner => t["Reported by the owner"],
        CaseSources.Authority => t["Tracking started by the authority"],
        _ => source,
    };

    /// <summary>Who did something to the case (its audit's actor role: soc_operator, authority, owner, car or system).</summary>
    public static string ByRole(string role) => role switch
    {
        "soc_operator" => "Security centre",
        "authority" => "Authority",
        "owner" => "Owner",
        "car" => "The car",
        "system" => "Pitwall",
        _ => role.Replace('_', ' '),
    };

    /// <summary>What was done to the case (its audit's action).</summary>
    public static string Action(string action) => action switch
    {
        "opened" => "Case opened",
        "claimed" => "Claimed",
        "handed_over_to_operator" => "Handed over",
        "note" => "Note",
        "contact_attempt" => "Call",
        "identity_check" => "Identity check",
        "theft_confirmed" => "Theft confirmed",
        "closed" => "Closed",
        "tracking_interval" => "Tracking interval",
        "map_key" => "Map key",
        "report" => "Report downloaded",
        "authority_reference" => "Authority's file number",
        _ => action.Replace('_', ' '),
    };

    /// <summary>A tracking message by its phase of theft mode.</summary>
    public static string Phase(string phase) => phase switch
    {
        "started" => "Theft mode started",
        "ended" => "Theft mode ended",
        _ => "Tracking",
    };
}
