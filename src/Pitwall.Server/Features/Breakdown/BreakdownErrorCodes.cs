namespace Pitwall.Server.Features.Breakdown;

/// <summary>The stable problem codes of the breakdown call and the assistance centre (clients switch on these; never rename one).</summary>
internal static class BreakdownErrorCodes
{
    /// <summary>The agent must claim the case first.</summary>
    public const string AssistanceCaseNotClaimed = "assistance_case_not_claimed";
    public const string AssistanceCaseClosed = "assistance_case_closed";
    /// <summary>The driver has not consented (or withdrew) to share the call's data with the assistance centre.</summary>
    public const string BreakdownConsentMissing = "breakdown_consent_missing";
    /// <summary>A live diagnosis for an emergency call, or a car that said it cannot run one.</summary>
    public const string LiveDiagnosisNotSupported = "live_diagnosis_not_supported";
    /// <summary>The car has a breakdown call open already.</summary>
    public const string BreakdownCallOpen = "breakdown_call_open";
}
