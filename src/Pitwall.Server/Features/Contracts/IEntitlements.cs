namespace Pitwall.Server.Features.Contracts;

/// <summary>Whether a vehicle's running packages cover a service (REQUIREMENTS B1); every service asks before it acts.</summary>
public interface IEntitlements
{
    Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken);

    /// <summary>Every service the vehicle's running packages grant.</summary>
    Task<IReadOnlySet<string>> ActiveServicesAsync(string vin, CancellationToken cancellationToken);
}

/// <summary>Entitlements from the contracts table: active contracts within their term, and the services of their packages.</summary>
internal sealed class ContractEntitlements(ContractStore contracts, TimeProvider time) : IEntitlements
{
    public async Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken) =>
        (await ActiveServicesAsync(vin, cancellationToken)).Contains(service);

    public async Task<IReadOnlySet<string>> ActiveServicesAsync(string vin, CancellationToken cancellationToken) =>
        (await contracts.RunningServicesAsync(vin, time.GetUtcNow(), cancellationToken))
            .SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
}
