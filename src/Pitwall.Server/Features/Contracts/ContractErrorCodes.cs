namespace Pitwall.Server.Features.Contracts;

/// <summary>The stable problem codes of packages and contracts (clients switch on these; never rename one).</summary>
internal static class ContractErrorCodes
{
    public const string VehicleStolen = "vehicle_stolen";
    public const string PackageNotFound = "package_not_found";
    public const string PackageNotSold = "package_not_sold";
    public const string NotEligible = "not_eligible";
    public const string AlreadyActive = "already_active";
    public const string NotWithdrawable = "not_withdrawable";
    public const string WithdrawalPeriodOver = "withdrawal_period_over";
    public const string ContractNotActive = "contract_not_active";

    /// <summary>The buyer confirmed another price than the catalogue's of now (it changed meanwhile): nothing was bought.</summary>
    public const string PriceChanged = "price_changed";

    /// <summary>The package grants a service no feature of this platform provides yet, so it is not sold.</summary>
    public const string ServiceNotProvided = "service_not_provided";
}
