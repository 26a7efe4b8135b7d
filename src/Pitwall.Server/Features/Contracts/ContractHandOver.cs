using System.Data.Common;
using Dapper;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Contracts;

/// <summary>
/// When a car changes hands: a bought package belongs to its buyer, so when the buyer loses access to the car (unpairing,
/// account erasure) it stops serving the car and showing to its next users, its auto-renewal stops, and the buyer is told
/// (they may still withdraw within the period, or let it run out). Packages included with the car stay with the car. If
/// the buyer pairs the car again, what has not ended serves it again.
/// </summary>
internal sealed partial class ContractHandOver(INotifier notifier, ServiceConfiguration configuration, TimeProvider time, ILogger<ContractHandOver> logger)
    : IVehicleAccessListener
{
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        var now = time.GetUtcNow();
        foreach (var stopped in await ContractStore.BuyerLeftAsync(connection, transaction, vin, accountId, now))
        {
            var name = await connection.QuerySingleOrDefaultAsync<string?>(
                "SELECT name FROM packages WHERE id = @PackageId", new { stopped.PackageId }, transaction) ?? stopped.PackageId;
            await notifier.NotifyAccountAsync(connection, transaction, stopped.AccountId!, new Notification(
                vin, ContractNotifications.ContractRenewalStopped.Id,
                NotificationText.Of(ContractNotifications.RenewalStopped, ("package", name), ("endsAt", stopped.EndsAt)), now,
                $"{stopped.Id}:buyer_left:{now.ToUnixTimeMilliseconds()}"));
        }
        TellTheCarAfterCommit(transaction, vin);
    }

    public async Task OnAccessGrantedAsync(DbConnection connection, DbTransaction transaction, string vin, string accountId, VehicleRole role)
    {
        if (role == VehicleRole.Primary)
        {
            await ContractStore.BuyerReturnedAsync(connection, transaction, vin, accountId);
            TellTheCarAfterCommit(transaction, vin);
        }
    }

    /// <summary>The car's active services changed; it hears once the change is durable (the frame is queued until it acks).</summary>
    private void TellTheCarAfterCommit(DbTransaction transaction, string vin) =>
        Data.Database.AfterCommit(transaction, () => _ = Task.Run(async () =>
        {
            try
            {
                await configuration.SendAsync(vin, CancellationToken.None);
            }
            catch (Exception e)
            {
                LogConfigurationFailed(logger, e);
            }
        }));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not queue the active services for a car after its users changed")]
    private static partial void LogConfigurationFailed(ILogger logger, Exception exception);
}
