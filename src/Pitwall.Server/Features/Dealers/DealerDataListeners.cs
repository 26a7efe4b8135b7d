using System.Data.Common;
using Dapper;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// What happens to dealer data when people leave: a car that leaves its owner takes neither its preferred dealer nor its
/// appointments along (the dealer's access ends with them; the log of past reads stays for its period, shown only to whoever
/// had the car then); an erased account's own rows go (a dealer's staff link, through the schema), and the log and appointments
/// no longer name it.
/// </summary>
internal sealed class DealerDataListeners : IVehicleAccessListener, IAccountErasureListener
{
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is null)
        {
            await connection.ExecuteAsync("DELETE FROM preferred_dealers WHERE vin = @vin", new { vin }, transaction);
            await connection.ExecuteAsync("DELETE FROM service_appointments WHERE vin = @vin", new { vin }, transaction);
        }
    }

    public async Task OnErasingAsync(DbConnection connection, DbTransaction transaction, string accountId)
    {
        await connection.ExecuteAsync("UPDATE dealer_access_log SET account_id = NULL WHERE account_id = @accountId", new { accountId }, transaction);
        await connection.ExecuteAsync("UPDATE service_appointments SET requested_by = NULL WHERE requested_by = @accountId", new { accountId }, transaction);
        await connection.ExecuteAsync("UPDATE preferred_dealers SET chosen_by = '' WHERE chosen_by = @accountId", new { accountId }, transaction);
    }
}
