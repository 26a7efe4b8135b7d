using System.Data.Common;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.SmartService;

/// <summary>
/// The market of a car's data (P3): the country of the car's owner — the account's postal address, else the region of its
/// locale (<see cref="Account.Country"/>) — since the owner is who received the market's privacy notice, and the notice says how
/// long product observation is kept (10 years in the French-language one, 30 in the German-language one for Austria). A car
/// without an owner, or an owner who names no country, takes the installation's market (<see cref="SmartServiceOptions.Market"/>).
/// </summary>
/// <remarks>A product-observation row is stored with the installation's market (the ingest writer asks nobody) and settled by the
/// prediction job soon after (<see cref="SettleAsync"/>): the car's model and the owner's market, and so its deletion time,
/// counted from its creation. On SQLite (one instance) the market per car is kept for <see cref="Lifetime"/> and forgotten as
/// soon as a change of the car's users commits in this process; a change of the owner's address or locale counts for the rows
/// settled after the lifetime. On PostgreSQL every question is read.</remarks>
internal sealed class CarMarkets(IVehicleDirectory vehicles, IAccountDirectory accounts, Database database, IOptions<SmartServiceOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    // Bumped by every committed change of a car's users in this process (any instance in it: tests run several).
    private static long s_generation;

    private readonly ShortLivedCache<string, string> _cache = new(database.Dialect == SqlDialect.Sqlite ? Lifetime : TimeSpan.Zero);

    /// <summary>A car's users change in this transaction: cached markets are forgotten once it commits.</summary>
    public static void UsersChanged(DbTransaction transaction) => Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_generation));

    public async ValueTask<string> MarketOfAsync(string vin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var generation = Interlocked.Read(ref s_generation); // before the read: a change committing meanwhile makes the entry stale
        if (_cache.TryGet(vin, generation, now, out var cached))
        {
            return cached;
        }
        var owner = await vehicles.PrimaryUserAsync(vin, cancellationToken) is { } accountId ? await accounts.FindAsync(accountId, cancellationToken) : null;
        var market = owner?.Country ?? options.Value.Market;
        _cache.Set(vin, market, generation, now, DateTimeOffset.MaxValue);
        return market;
    }

    /// <summary>The market of a row until it is settled.</summary>
    public string DefaultMarket => options.Value.Market;

    /// <summary>How long a row created <paramref name="now"/> in <paramref name="market"/> is kept: until the returned time.</summary>
    public DateTimeOffset DeleteAfter(string market, DateTimeOffset now) => now + Period(market);

    private TimeSpan Period(string market) => TimeSpan.FromDays(365 * options.Value.ProductObservationYearsFor(market));

    /// <summary>The car's unsettled product-observation rows learn its model and its owner's market (<see cref="MarketOfAsync"/>,
    /// asked before the transaction, so the single writer never waits on a read), and so their deletion time: their creation plus
    /// the market's period.</summary>
    public Task SettleAsync(DbConnection connection, DbTransaction transaction, Vehicle vehicle, string market) =>
        ServiceLogStore.SettleObservationAsync(connection, transaction, vehicle, market, (long)Period(market).TotalMilliseconds);
}
