namespace Pitwall.Server.Features.OwnersManual;

/// <summary>The stable problem codes of the owner's manual (clients switch on these; never rename one).</summary>
internal static class ManualErrorCodes
{
    public const string ProfileRequired = "manual_profile_required";
}
