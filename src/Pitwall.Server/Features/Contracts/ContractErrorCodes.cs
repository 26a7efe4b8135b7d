namespace Pitwall.Server.Features.Contracts;

/// <summary>The stable problem codes of packages and contracts (clients switch on these; never rename one).</summary>
public static class ContractErrorCodes
{
    /// <summary>The package grants a service no feature of this platform provides yet, so it is not sold.</summary>
    public const string ServiceNotProvided = "service_not_provided";
}
