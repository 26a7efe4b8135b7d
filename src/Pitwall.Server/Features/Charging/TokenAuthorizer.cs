using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Charging;

/// <summary>OCPI <c>AllowedType</c>: the answer to a real-time authorisation.</summary>
internal static class Allowed
{
    public const string Yes = "ALLOWED";
    public const string Blocked = "BLOCKED";
    public const string Expired = "EXPIRED";
    public const string NoCredit = "NO_CREDIT";
    public const string NotAllowed = "NOT_ALLOWED";
}

/// <summary>
/// Real-time authorisation of a token (G1): a blocked card is <c>BLOCKED</c>; a token whose account no longer uses the contract's
/// car is <c>NOT_ALLOWED</c>; a contract whose car's package no longer grants the Charging Service (a card is only issued while one
/// does, so its package ended) is <c>EXPIRED</c>; otherwise <c>ALLOWED</c>. Opening hours and the EVSE's status are not reasons
/// to refuse (OCPI). <c>NO_CREDIT</c> is not used: charging is billed monthly, there is no prepaid credit.
/// </summary>
internal sealed class TokenAuthorizer(ChargingTokenStore tokens, IEntitlements entitlements, IVehicleAccess access)
{
    /// <summary>Null when the token is unknown.</summary>
    public async Task<(ChargingToken Token, string Allowed)?> AuthorizeAsync(string uid, string type, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(uid, type, cancellationToken) is not { } token)
        {
            return null;
        }
        if (!token.Valid)
        {
            return (token, Allowed.Blocked);
        }
        var contract = await tokens.ContractAsync(token.AccountId, cancellationToken);
        if (contract is null || await access.RoleOfAsync(token.AccountId, contract.Vin, cancellationToken) is null)
        {
            return (token, Allowed.NotAllowed);
        }
        return await entitlements.IsEntitledAsync(contract.Vin, ServiceIds.Charging, cancellationToken)
            ? (token, Allowed.Yes)
            : (token, Allowed.Expired);
    }
}
