using System.Data.Common;
using Dapper;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>The account's side of the provider's tables, in the account's own transactions (erasure, password change).</summary>
internal static class OidcGrants
{
    /// <summary>Erasure: the account's grants, consents and tokens go with it.</summary>
    public static async Task DeleteForSubjectAsync(DbConnection connection, DbTransaction transaction, string accountId)
    {
        await connection.ExecuteAsync("DELETE FROM oidc_tokens WHERE subject = @accountId", new { accountId }, transaction);
        await connection.ExecuteAsync("DELETE FROM oidc_authorizations WHERE subject = @accountId", new { accountId }, transaction);
    }

    /// <summary>A password change signs out everywhere: every token of the account stops working; consents stay, so a
    /// third-party app the owner trusts asks the owner to sign in again without a new consent.</summary>
    public static Task RevokeTokensOfSubjectAsync(DbConnection connection, DbTransaction transaction, string accountId) =>
        connection.ExecuteAsync(
            "UPDATE oidc_tokens SET status = 'revoked', concurrency = concurrency || 'r' WHERE subject = @accountId AND status <> 'revoked'",
            new { accountId }, transaction);
}
