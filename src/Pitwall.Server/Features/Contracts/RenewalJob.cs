using Microsoft.Extensions.Options;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;

namespace Pitwall.Server.Features.Contracts;

/// <summary>
/// At the end of a term, renews a contract with auto-renewal (at the catalogue's current price) or expires it; a while
/// before, tells the vehicle's users which of the two will happen. One instance at a time (lease); bounded batches.
/// </summary>
internal sealed class RenewalJob(
    Database database, PackageStore packages, ServiceConfiguration configuration, INotifier notifier, Leases leases, IOptions<ContractsOptions> options,
    TimeProvider time, ILogger<RenewalJob> logger) : LeasedJob(leases, time, logger)
{
    protected override string LeaseName => "contracts.renewal";

    protected override TimeSpan Interval => options.Value.RenewalInterval;

    public override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = Time.GetUtcNow();
        var catalogue = (await packages.ListAsync(cancellationToken)).ToDictionary(p => p.Id);
        var changed = await database.WriteAsync(async (c, t) =>
        {
            var vins = new HashSet<string>(StringComparer.Ordinal);
            foreach (var due in await ContractStore.DueAsync(c, t, now))
            {
                if (due.AutoRenew && catalogue.TryGetValue(due.PackageId, out var package) && package.Active)
                {
                    await ContractStore.RenewAsync(c, t, due.Id, due.EndsAt, due.EndsAt.AddMonths(package.TermMonths), package.PriceMinor);
                }
                else
                {
                    await ContractStore.ExpireAsync(c, t, due.Id, now);
                    vins.Add(due.Vin);
                }
            }
            foreach (var contract in await ContractStore.TakeExpiryNoticesAsync(c, t, now, options.Value.ExpiryNotice))
            {
                var name = catalogue.TryGetValue(contract.PackageId, out var p) ? p.Name : contract.PackageId;
                var key = $"{contract.Id}:{contract.EndsAt.ToUnixTimeSeconds()}";
                var notice = contract.AutoRenew
                    ? new Notification(contract.Vin, ContractNotifications.ContractRenews.Id,
                        NotificationText.Of(ContractNotifications.Renews, ("package", name), ("endsAt", contract.EndsAt)), now, key)
                    : new Notification(contract.Vin, ContractNotifications.ContractExpires.Id,
                        NotificationText.Of(ContractNotifications.Ends, ("package", name), ("endsAt", contract.EndsAt)), now, key);
                if (!contract.BuyerLeft)
                {
                    await notifier.NotifyAsync(c, t, notice); // the car's users
                }
                else if (contract.AccountId is { } buyer)
                {
                    await notifier.NotifyAccountAsync(c, t, buyer, notice); // the car is no longer theirs; the contract still is
                }
            }
            return vins;
        }, cancellationToken);
        foreach (var vin in changed)
        {
            await configuration.SendAsync(vin, cancellationToken);
        }
    }
}
