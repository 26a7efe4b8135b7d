using System.Data.Common;
using System.Text.Json;
using Dapper;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>Reads an owner's consent straight from <c>oidc_authorizations</c>, in the caller's transaction (the notifications
/// feature asks while it queues). The consent's cars and scopes are the <c>pitwall_vehicles</c> property <see cref="AppConsents"/> writes.</summary>
internal sealed class AppGrantsSql : IAppGrants
{
    public async Task<bool> CoversAsync(DbConnection connection, DbTransaction? transaction, string accountId, string clientId, string vin, string scope)
    {
        var properties = await connection.QueryAsync<string?>(
            """
            SELECT a.properties FROM oidc_authorizations a JOIN oidc_applications p ON p.id = a.application_id
            WHERE a.subject = @accountId AND p.client_id = @clientId AND a.status = 'valid' AND a.type = 'permanent'
            """, new { accountId, clientId }, transaction);
        foreach (var json in properties)
        {
            if (json is null)
            {
                continue;
            }
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty(AppConsents.VehiclesProperty, out var vehicles)
                && vehicles.TryGetProperty(vin, out var scopes)
                && scopes.EnumerateArray().Any(s => s.GetString() == scope))
            {
                return true;
            }
        }
        return false;
    }
}
