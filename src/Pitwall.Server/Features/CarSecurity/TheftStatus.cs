using Pitwall.Server.Features.Contracts;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>B4 for the contracts feature: a car is stolen while it has an open case or is still in theft mode, and while a
/// theft without Car Security lasts (so the package cannot be bought for that incident).</summary>
internal sealed class TheftStatus(TheftCaseStore store, UncoveredThefts uncovered) : ITheftStatus
{
    public async Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken)
    {
        vin = Protocol.Vin.Normalize(vin);
        return await store.IsStolenAsync(vin, cancellationToken) || await uncovered.IsOngoingAsync(vin, cancellationToken);
    }
}
