using Pitwall.Server.Features.Contracts;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>B4 for the contracts feature: a car is stolen while it has an open case or is still in theft mode.</summary>
internal sealed class TheftStatus(TheftCaseStore store) : ITheftStatus
{
    public Task<bool> IsStolenAsync(string vin, CancellationToken cancellationToken) => store.IsStolenAsync(Protocol.Vin.Normalize(vin), cancellationToken);
}
