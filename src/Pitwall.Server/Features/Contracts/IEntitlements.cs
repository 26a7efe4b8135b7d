using System.Data.Common;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Contracts;

/// <summary>Whether a vehicle's running packages cover a service (REQUIREMENTS B1); every service asks before it acts.</summary>
public interface IEntitlements
{
    Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken);

    /// <summary>Every service the vehicle's running packages grant.</summary>
    Task<IReadOnlySet<string>> ActiveServicesAsync(string vin, CancellationToken cancellationToken);
}

/// <summary>
/// Entitlements from the contracts table: active contracts within their term, and the services of their packages.
/// </summary>
/// <remarks>
/// Every command and service asks, so on SQLite (one instance by design) the answer per vehicle is kept for
/// <see cref="ContractsOptions.EntitlementCacheLifetime"/>, never past the next start or end of a term, and forgotten as
/// soon as a write of contracts or packages commits in this process (<see cref="Changed"/>). A change made by another
/// process (<c>pitwall admin package-set</c>) counts once the lifetime has passed. On PostgreSQL, where several
/// instances may share the data, every question goes to the database.
/// </remarks>
internal sealed class ContractEntitlements(
    ContractStore contracts, Database database, IOptions<ContractsOptions> options, TimeProvider time) : IEntitlements
{
    // Bumped by every committed write of contracts or packages in this process (any instance in it: tests run several).
    private static long s_generation;
    private readonly ShortLivedCache<string, IReadOnlySet<string>> _cache =
        new(database.Dialect == SqlDialect.Sqlite ? options.Value.EntitlementCacheLifetime : TimeSpan.Zero, SameServices.Instance);

    /// <summary>Contracts or packages change in this transaction: cached entitlements are forgotten when it commits.</summary>
    internal static void Changed(DbTransaction transaction) =>
        Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_generation));

    public async Task<bool> IsEntitledAsync(string vin, string service, CancellationToken cancellationToken) =>
        (await ActiveServicesAsync(vin, cancellationToken)).Contains(service);

    public async Task<IReadOnlySet<string>> ActiveServicesAsync(string vin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var generation = Interlocked.Read(ref s_generation); // before the read: a change committing meanwhile makes the entry stale
        if (_cache.TryGet(vin, generation, now, out var cached))
        {
            return cached;
        }
        var terms = await contracts.RunningTermsAsync(vin, now, cancellationToken);
        var services = terms.Where(t => t.StartsAt <= now)
            .SelectMany(t => t.Services.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet(StringComparer.Ordinal);
        if (_cache.Enabled)
        {
            // Valid until the lifetime ends or a term starts or ends, whichever comes first.
            return _cache.Set(vin, services, generation, now, terms.Select(t => t.StartsAt > now ? t.StartsAt : t.EndsAt).Append(DateTimeOffset.MaxValue).Min());
        }
        return services;
    }

    private sealed class SameServices : IEqualityComparer<IReadOnlySet<string>>
    {
        public static readonly SameServices Instance = new();

        public bool Equals(IReadOnlySet<string>? x, IReadOnlySet<string>? y) => x is not null && y is not null && x.SetEquals(y);

        public int GetHashCode(IReadOnlySet<string> obj) => obj.Count;
    }
}
