namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The stable problem codes of Car Security: theft cases, the SOC workflow and the owner's settings (clients switch on these; never rename one).</summary>
internal static class CarSecurityErrorCodes
{
    public const string CaseClaimed = "case_claimed";
    public const string CaseNotClaimed = "case_not_claimed";
    public const string CaseClosed = "case_closed";
    public const string CaseNotHandedOver = "case_not_handed_over";
    public const string OwnerNotReached = "owner_not_reached";
    public const string PhoneOutOfOrder = "phone_out_of_order";
    public const string IdentityCheckLocked = "identity_check_locked";
    public const string IdentityNotVerified = "identity_not_verified";
    public const string NoCarSecurityDetails = "no_car_security_details";
    public const string TheftCaseOpen = "theft_case_open";
    public const string CarSecurityAlwaysOn = "car_security_always_on";
    public const string EndedByTheCar = "ended_by_the_car";
}
