namespace Pitwall.Server.Features.Contracts;

internal static class ContractStates
{
    public const string Active = "active";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
}

/// <summary>A package for one vehicle: its term, renewal and how it ended. A bought one belongs to its buyer (<see cref="AccountId"/>);
/// one included with the car (no buyer) stays with the car.</summary>
public sealed record ContractRecord(
    string Id, string Vin, string? AccountId, string PackageId, string State, bool AutoRenew, DateTimeOffset PurchasedAt, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int Terms, long PriceMinor, string Currency, DateTimeOffset? CancelledAt, string? CancelChannel, string? CancelReference,
    DateTimeOffset? WithdrawnAt, long? RefundMinor, DateTimeOffset? BuyerLeftAt = null)
{
    /// <summary>Bought, and its buyer no longer uses the car: it serves the car no more and shows only to the buyer.</summary>
    public bool BuyerLeft => BuyerLeftAt is not null;

    /// <summary>Running now: active and within its term (a cancelled one runs to its end).</summary>
    public bool IsRunning(DateTimeOffset now) => State == ContractStates.Active && StartsAt <= now && now < EndsAt;
}
