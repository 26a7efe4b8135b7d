namespace Pitwall.Server.Features.Commands;

/// <summary>Whether a vehicle's contract covers a service (REQUIREMENTS B1). The contracts feature provides the real check.</summary>
public interface IEntitlements
{
    Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken);
}

/// <summary>Until contracts exist, every registered vehicle has every service.</summary>
internal sealed class EveryServiceEntitled : IEntitlements
{
    public Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken) => Task.FromResult(true);
}
