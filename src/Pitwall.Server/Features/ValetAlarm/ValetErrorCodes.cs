namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>The stable problem codes of the valet alarm (clients switch on these; never rename one).</summary>
internal static class ValetErrorCodes
{
    public const string ValetNotActive = "valet_not_active";
}
