using System.Data.Common;
using Pitwall.Server.Features.Privacy;

namespace Pitwall.Server.Features.Trips.History;

/// <summary>The trip history lives on its consent: once no one's consent for the car is left, the history goes.</summary>
internal sealed class TripHistoryEraser : IConsentListener
{
    public Task OnWithdrawnAsync(DbConnection connection, DbTransaction transaction, string vin, string purpose) =>
        purpose == TripHistory.Purpose ? TripHistoryStore.DeleteAsync(connection, transaction, vin) : Task.CompletedTask;
}
