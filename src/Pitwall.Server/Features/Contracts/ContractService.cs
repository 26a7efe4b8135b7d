using System.Data.Common;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Contracts;

/// <summary>One package as an offer for a vehicle: buyable, or why not.</summary>
public sealed record Offer(Package Package, string? NotAvailable);

/// <summary>
/// Buying, withdrawing and cancelling packages (REQUIREMENTS B1–B4), with eligibility (A5) and the theft rules, and
/// the packages included with a new car. Every change tells the car its active services.
/// </summary>
public sealed class ContractService(
    Database database, PackageStore packages, ContractStore contracts, IVehicleAccess vehicles, ITheftStatus theft, ServiceConfiguration configuration,
    IOptions<ContractsOptions> options, TimeProvider time, IEnumerable<ProvidedService> provided) : IVehicleRegistrationListener
{
    private readonly HashSet<string> _provided = provided.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);

    private static readonly Refusal PrimaryOnly = new(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenForRole, "Only the vehicle's primary user manages its packages.");
    private static readonly Refusal Stolen = new(StatusCodes.Status409Conflict, ContractErrorCodes.VehicleStolen,
        "The vehicle is stolen or in theft mode: Car Security cannot be bought, cancelled or withdrawn now.");

    /// <summary>Every package of the catalogue on sale, as an offer for <paramref name="vehicle"/>: buyable, or why not.</summary>
    /// <param name="vehicle">A vehicle the caller passed the vehicle-service gate for.</param>
    public async Task<IReadOnlyList<Offer>> OffersAsync(Vehicle vehicle, CancellationToken cancellationToken)
    {
        var vin = vehicle.Vin;
        var now = time.GetUtcNow();
        var running = await contracts.ActivePackagesAsync(vin, now, cancellationToken);
        var stolen = await theft.IsStolenAsync(vin, cancellationToken);
        return (await packages.ListAsync(cancellationToken))
            .Where(p => Missing(p).Count == 0) // a package for services still to come is not offered
            .Select(p => new Offer(p, !p.Active ? "not_sold"
                : p.WhyNotFor(vehicle.Model, vehicle.ModelYear) is { } why ? why
                : running.Contains(p.Id) ? "already_active"
                : p.Id == Package.CarSecurity && stolen ? "vehicle_stolen"
                : null))
            .ToList();
    }

    /// <summary>Checks everything buying the package for <paramref name="vehicle"/> needs (as <see cref="PurchaseAsync"/> does) without
    /// buying it, so that the portal can show the price for confirmation only when the purchase would go through.</summary>
    public async Task<(Package? Package, Refusal? Refusal)> CheckPurchaseAsync(
        Vehicle vehicle, string? packageId, CarSecurityRequest? security, CancellationToken cancellationToken)
    {
        var (package, _, refusal) = await CheckAsync(vehicle, packageId, security, cancellationToken);
        return (package, refusal);
    }

    private async Task<(Package? Package, CarSecurityDetails? Details, Refusal? Refusal)> CheckAsync(
        Vehicle vehicle, string? packageId, CarSecurityRequest? security, CancellationToken cancellationToken)
    {
        if (packageId is null || await packages.FindAsync(packageId, cancellationToken) is not { } package)
        {
            return (null, null, new(StatusCodes.Status404NotFound, ContractErrorCodes.PackageNotFound, "No such package."));
        }
        if (Missing(package) is [_, ..] missing)
        {
            return (null, null, new(StatusCodes.Status409Conflict, ContractErrorCodes.ServiceNotProvided,
                $"The package is not sold: this platform does not provide {string.Join(", ", missing)} yet."));
        }
        if (!package.Active)
        {
            return (null, null, new(StatusCodes.Status409Conflict, ContractErrorCodes.PackageNotSold, "This package is no longer sold."));
        }
        if (package.WhyNotFor(vehicle.Model, vehicle.ModelYear) is { } why)
        {
            return (null, null, new(StatusCodes.Status409Conflict, ContractErrorCodes.NotEligible, $"The package does not fit this vehicle ({why})."));
        }
        if (package.Id == Package.CarSecurity && await theft.IsStolenAsync(vehicle.Vin, cancellationToken))
        {
            return (null, null, Stolen);
        }
        if (!package.NeedsCarSecurityDetails)
        {
            return (package, null, null);
        }
        var errors = new ValidationErrors();
        var details = CarSecurityRequest.Validate(security, errors);
        return errors.Any
            ? (null, null, new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The request is not valid.", errors))
            : (package, details, null);
    }

    /// <summary>Buys a package for <paramref name="vehicle"/>, whose primary user <paramref name="accountId"/> is: the caller passed the
    /// vehicle-service gate for it as the primary user (the gate read the access once; this does not read it again).</summary>
    /// <param name="confirmedPriceMinor">The price the buyer confirmed; when the catalogue's price is another by now, nothing is bought.</param>
    public async Task<(ContractRecord? Contract, Refusal? Refusal)> PurchaseAsync(
        string accountId, Vehicle vehicle, string? packageId, CarSecurityRequest? security, CancellationToken cancellationToken,
        long? confirmedPriceMinor = null)
    {
        var (package, details, refusal) = await CheckAsync(vehicle, packageId, security, cancellationToken);
        if (package is null)
        {
            return (null, refusal);
        }
        if (confirmedPriceMinor is { } confirmed && confirmed != package.PriceMinor)
        {
            return (null, new(StatusCodes.Status409Conflict, ContractErrorCodes.PriceChanged, "The price has changed since you confirmed it; check the new price."));
        }
        var now = time.GetUtcNow();
        var contract = new ContractRecord(Guid.CreateVersion7(now).ToString(), vehicle.Vin, accountId, package.Id, ContractStates.Active, true, now, now,
            now.AddMonths(package.TermMonths), 1, package.PriceMinor, package.Currency, null, null, null, null, null);
        var inserted = await database.WriteAsync(async (c, t) =>
        {
            if (await ContractStore.CountRunningAsync(c, t, contract.Vin, package.Id, now) > 0)
            {
                return false;
            }
            await ContractStore.InsertAsync(c, t, contract, details);
            return true;
        }, cancellationToken);
        if (!inserted)
        {
            return (null, new(StatusCodes.Status409Conflict, ContractErrorCodes.AlreadyActive, "The vehicle has this package already."));
        }
        await configuration.SendAsync(contract.Vin, cancellationToken);
        return (contract, null);
    }

    /// <summary>B3: within the withdrawal period, with a full refund; the services stop at once.</summary>
    public Task<(ContractRecord? Contract, Refusal? Refusal)> WithdrawAsync(string accountId, string contractId, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, contractId, async (contract, c, t, now) =>
        {
            if (contract.AccountId is null)
            {
                return new(StatusCodes.Status409Conflict, ContractErrorCodes.NotWithdrawable, "A package included with the car cannot be withdrawn.");
            }
            if (!InWithdrawalPeriod(contract, now))
            {
                return new(StatusCodes.Status409Conflict, ContractErrorCodes.WithdrawalPeriodOver,
                    $"Withdrawal is possible up to {options.Value.WithdrawalDays} days after purchase; cancel instead.");
            }
            await ContractStore.WithdrawAsync(c, t, contract.Id, contract.PriceMinor, now);
            return null;
        }, cancellationToken);

    /// <summary>B3: a purchase can be withdrawn up to <see cref="ContractsOptions.WithdrawalDays"/> days after it.</summary>
    public bool InWithdrawalPeriod(ContractRecord contract, DateTimeOffset now) => now <= contract.PurchasedAt.AddDays(options.Value.WithdrawalDays);

    /// <summary>B3: auto-renewal off; the package runs to the end of its term.</summary>
    public Task<(ContractRecord? Contract, Refusal? Refusal)> CancelAsync(string accountId, string contractId, CancellationToken cancellationToken) =>
        ChangeAsync(accountId, contractId, async (contract, c, t, now) =>
        {
            await ContractStore.CancelAsync(c, t, contract.Id, "app", null, now);
            return null;
        }, cancellationToken);

    /// <summary>B3: a written cancellation that customer service received, recorded with its reference.</summary>
    public Task<(ContractRecord? Contract, Refusal? Refusal)> RecordWrittenCancellationAsync(
        string contractId, string reference, CancellationToken cancellationToken) =>
        ChangeAsync(null, contractId, async (contract, c, t, now) =>
        {
            await ContractStore.CancelAsync(c, t, contract.Id, "customer_service", reference, now);
            return null;
        }, cancellationToken);

    /// <summary>The packages a new car comes with (those of the included list that fit it), in the registration's transaction.</summary>
    public async Task OnRegisteredAsync(DbConnection connection, DbTransaction transaction, Vehicle vehicle)
    {
        var now = time.GetUtcNow();
        var catalogue = (await packages.ListAsync(CancellationToken.None)).ToDictionary(p => p.Id);
        foreach (var id in options.Value.Included.Where(id => catalogue.TryGetValue(id, out var p) && p.WhyNotFor(vehicle.Model, vehicle.ModelYear) is null))
        {
            await ContractStore.InsertAsync(connection, transaction, new ContractRecord(
                Guid.CreateVersion7(now).ToString(), vehicle.Vin, null, id, ContractStates.Active, false, now, now, now.AddMonths(options.Value.IncludedMonths),
                1, 0, "EUR", null, null, null, null, null), null);
        }
    }

    private async Task<(ContractRecord? Contract, Refusal? Refusal)> ChangeAsync(
        string? accountId, string contractId, Func<ContractRecord, DbConnection, DbTransaction, DateTimeOffset, Task<Refusal?>> change,
        CancellationToken cancellationToken)
    {
        var found = await contracts.FindAsync(contractId, cancellationToken);
        var notFound = new Refusal(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "No such contract among your vehicles'.");
        if (found is null)
        {
            return (null, notFound);
        }
        // A contract belongs to its buyer, who manages it even after the car has left them; the car's primary user manages
        // what came with the car and what its users bought. A previous owner's contract is nobody else's business.
        if (accountId is not null && found.AccountId != accountId)
        {
            var role = found.BuyerLeft ? null : await vehicles.RoleOfAsync(accountId, found.Vin, cancellationToken);
            if (role is null)
            {
                return (null, notFound);
            }
            if (role != VehicleRole.Primary)
            {
                return (null, PrimaryOnly);
            }
        }
        if (found.PackageId == Package.CarSecurity && !found.BuyerLeft && await theft.IsStolenAsync(found.Vin, cancellationToken))
        {
            return (null, Stolen);
        }
        var now = time.GetUtcNow();
        var refusal = await database.WriteAsync(async (c, t) =>
        {
            var current = await ContractStore.FindAsync(c, t, contractId);
            return current?.State != ContractStates.Active
                ? new Refusal(StatusCodes.Status409Conflict, ContractErrorCodes.ContractNotActive, "The contract has ended.")
                : await change(current, c, t, now);
        }, cancellationToken);
        if (refusal is not null)
        {
            return (null, refusal);
        }
        await configuration.SendAsync(found.Vin, cancellationToken);
        return (await contracts.FindAsync(contractId, cancellationToken), null);
    }

    /// <summary>The services the package grants that no feature provides; a package is sold only when there are none.</summary>
    public IReadOnlyList<string> Missing(Package package) => [.. package.Services.Where(s => !_provided.Contains(s))];
}
