using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Privacy;

/// <summary>
/// Erases an account (REQUIREMENTS P6) at once: its cars are unpaired (every feature drops what it kept for them), then
/// the account goes and with it, through the schema's cascades, everything that hangs on it — sessions, tokens, drivers'
/// rights, pairings, keys, commands, PIN — plus its security log, sign-in counters and Car Security contact data. Its
/// access-log entries stay until they expire (30 days, to investigate attacks) but lose the link to the account.
/// Contracts stay, as the law requires, without a link to the person (their account is set to null).
/// </summary>
public sealed class AccountErasure(
    Database database, IVehicleAccess vehicles, PairingService pairing, IEnumerable<IAccountErasureListener> listeners, IAccountDeletion deletion,
    AccessLog accessLog)
{
    /// <param name="account">The account as its caller loaded it (to check the password).</param>
    public async Task EraseAsync(Account account, CancellationToken cancellationToken)
    {
        var accountId = account.Id;
        foreach (var vin in await vehicles.VinsOfAsync(accountId, cancellationToken))
        {
            if (await vehicles.RoleOfAsync(accountId, vin, cancellationToken) == VehicleRole.Primary)
            {
                await pairing.UnpairAsync(vin, cancellationToken);
            }
        }
        await database.WriteAsync(async (c, t) =>
        {
            foreach (var listener in listeners)
            {
                await listener.OnErasingAsync(c, t, accountId);
            }
            await deletion.DeleteAsync(c, t, account);
        }, cancellationToken);
        // The access log keeps its 30 days for security (who attacked what from where), but no longer names the account.
        await accessLog.ForgetAccountAsync(accountId, cancellationToken);
    }
}
