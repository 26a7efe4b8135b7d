namespace Pitwall.Server.Features.Contracts;

public static class ContractStates
{
    public const string Active = "active";
    public const string Withdrawn = "withdrawn";
    public const string Expired = "expired";
}

/// <summary>A package for one vehicle: its term, renewal and how it ended.</summary>
public sealed record ContractRecord(
    string Id, string Vin, string? AccountId, string PackageId, string State, bool AutoRenew, DateTimeOffset PurchasedAt, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int Terms, long PriceMinor, string Currency, DateTimeOffset? CancelledAt, string? CancelChannel, string? CancelReference,
    DateTimeOffset? WithdrawnAt, long? RefundMinor)
{
    /// <summary>Running now: active and within its term (a cancelled one runs to its end).</summary>
    public bool IsRunning(DateTimeOffset now) => State == ContractStates.Active && StartsAt <= now && now < EndsAt;
}
