using System.Data.Common;

namespace Pitwall.Server.Features.Accounts;

/// <summary>What other features may ask of the accounts feature about an account (they never use its store).</summary>
public interface IAccountDirectory
{
    Task<Account?> FindAsync(string id, CancellationToken cancellationToken);

    Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken);
}

/// <summary>The accounts feature's part of erasing an account (REQUIREMENTS P6): its security log, sign-in throttle and the
/// account row with its sessions, in the erasure's transaction, last.</summary>
public interface IAccountDeletion
{
    Task DeleteAsync(DbConnection connection, DbTransaction transaction, Account account);
}

internal sealed class AccountDeletion : IAccountDeletion
{
    public async Task DeleteAsync(DbConnection connection, DbTransaction transaction, Account account)
    {
        await SecurityLog.DeleteForAccountAsync(connection, transaction, account.Id);
        await LoginThrottle.ClearAsync(connection, transaction, account.Email);
        await OpenIdConnect.OidcGrants.DeleteForSubjectAsync(connection, transaction, account.Id);
        await AccountStore.DeleteAsync(connection, transaction, account.Id);
        TokenStore.Revoked(transaction); // its sessions went with it: no cached token of it may outlive the commit
    }
}
