namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The words for a case's codes, the same on the security centre's and the authority's pages and in the printable
/// report (the owner's page translates them through the portal's texts).</summary>
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

    public static string Source(string source) => source switch
    {
        CaseSources.Car => "Detected by the car",
        CaseSources.Owner => "Reported by the owner",
        CaseSources.Authority => "Tracking started by the authority",
        _ => source,
    };

    /// <summary>Who did something to the case (its audit's actor role: soc_operator, authority, owner, car or system).</summary>
    public static string Actor(string role) => role switch
    {
        "soc_operator" => "Security centre",
        "authority" => "Authority",
        "owner" => "Owner",
        "car" => "The car",
        "system" => "Pitwall",
        _ => role,
    };
}
