using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>
/// A vehicle's users as the API (<c>/api/v1/vehicles/{vin}/drivers</c>) and the portal's drivers page manage them (A3): the primary user
/// lists them and gives another account driver rights by its e-mail address (the driver registers first); the primary user removes a
/// driver, a driver removes only themselves. The account concerned hears of it on its live events. The caller has passed the gate.
/// </summary>
public sealed class VehicleUsers(VehicleStore store, IAccountDirectory accounts, PairingService pairing, LiveEventHub hub, TimeProvider time)
{
    public async Task<IReadOnlyList<VehicleUserResponse>> ListAsync(string vin, CancellationToken cancellationToken)
    {
        var users = new List<VehicleUserResponse>();
        foreach (var (accountId, role) in await store.UsersOfAsync(vin, cancellationToken))
        {
            if (await accounts.FindAsync(accountId, cancellationToken) is { } account)
            {
                users.Add(new VehicleUserResponse(accountId, account.Name, account.Email, role == VehicleRole.Primary ? VehicleRoles.Primary : VehicleRoles.Driver));
            }
        }
        return users;
    }

    public async Task<(VehicleUserResponse? Driver, Refusal? Refusal)> AddDriverAsync(string vin, string? email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email) || email.Length > 254)
        {
            return (null, Refusal.Invalid("email", "The e-mail address of the driver's account is required."));
        }
        if (await accounts.FindByEmailAsync(email.Trim(), cancellationToken) is not { } driver)
        {
            return (null, new Refusal(StatusCodes.Status404NotFound, VehicleErrorCodes.AccountNotFound, "No account has this e-mail address; the driver registers first."));
        }
        var (added, _) = await pairing.AddDriverAsync(vin, driver.Id, cancellationToken);
        if (!added)
        {
            return (null, Refusal.Conflict(VehicleErrorCodes.AlreadyAUser, "This account already uses the vehicle."));
        }
        hub.Publish(new LiveEvent(vin, "vehicle.access_granted", new { vin, role = VehicleRoles.Driver }, time.GetUtcNow(), driver.Id));
        return (new VehicleUserResponse(driver.Id, driver.Name, driver.Email, VehicleRoles.Driver), null);
    }

    /// <param name="callerId">Who asks; as a driver (<paramref name="callerRole"/>) only for themselves.</param>
    public async Task<Refusal?> RemoveDriverAsync(string vin, string accountId, string callerId, VehicleRole callerRole, CancellationToken cancellationToken)
    {
        if (callerRole == VehicleRole.Driver && accountId != callerId)
        {
            return Refusal.PrimaryOnly; // a driver removes only themselves
        }
        if (!await pairing.RemoveDriverAsync(vin, accountId, cancellationToken))
        {
            return Refusal.NotFound("This account is not a driver of the vehicle.");
        }
        hub.Publish(new LiveEvent(vin, "vehicle.access_revoked", new { vin }, time.GetUtcNow(), accountId));
        return null;
    }
}
