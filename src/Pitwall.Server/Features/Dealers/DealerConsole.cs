using System.Globalization;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The dealer console's portal pages (<see cref="IDealerConsole"/>) on the same services as its API.</summary>
internal sealed class DealerConsole(
    DealerStore dealers, AppointmentStore store, Appointments appointments, DealerCarReads reads, DealerCarData carData) : IDealerConsole
{
    private static readonly string[] Kinds = [DealerAccessLog.Health, DealerAccessLog.Faults, DealerAccessLog.Logs];

    private async Task<Dealer?> FindAsync(string accountId, CancellationToken cancellationToken) =>
        await dealers.DealerOfAsync(accountId, cancellationToken) is { } id ? await dealers.FindAsync(id, cancellationToken) : null;

    public async Task<(DealerResponse? Dealer, Refusal? Refusal)> DealerOfAsync(string accountId, CancellationToken cancellationToken) =>
        await FindAsync(accountId, cancellationToken) is { } dealer ? (DealerResponse.From(dealer), null) : (null, DealerConsoleEndpoints.NotLinked);

    public async Task<IReadOnlyList<AppointmentResponse>> AppointmentsAsync(string dealerId, CancellationToken cancellationToken) =>
        [.. (await store.OfDealerAsync(dealerId, openOnly: false, cancellationToken)).Select(AppointmentResponse.From)];

    public async Task<(string? State, Refusal? Refusal)> MoveAsync(
        string accountId, string id, AppointmentMove move, string? startsAt, int? durationMinutes, string? note, CancellationToken cancellationToken)
    {
        if (move is AppointmentMove.Accept or AppointmentMove.Cancel)
        {
            throw new ArgumentOutOfRangeException(nameof(move), move, "Not a move of the dealer.");
        }
        if (await FindAsync(accountId, cancellationToken) is not { } dealer)
        {
            return (null, DealerConsoleEndpoints.NotLinked);
        }
        DateTimeOffset? start = null;
        if (!string.IsNullOrWhiteSpace(startsAt))
        {
            if (DateTime.TryParseExact(startsAt, "yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                start = new DateTimeOffset(local, dealer.Zone.GetUtcOffset(local)).ToUniversalTime();
            }
            else if (DateTimeOffset.TryParseExact(startsAt, "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var exact))
            {
                start = exact;
            }
            else
            {
                return (null, Refusal.Invalid("startsAt", "A start at least an hour and at most 180 days ahead."));
            }
        }
        var (moved, refusal) = await appointments.MoveAsync(
            new AppointmentActor.OfDealer(dealer.Id), id, move, new AppointmentAnswer(start, durationMinutes, note), cancellationToken);
        return (moved?.State, refusal);
    }

    public async Task<DealerCarView?> ReadAllAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        var normalized = Protocol.Vin.Normalize(vin);
        return await dealers.DealerOfAsync(accountId, cancellationToken) is { } dealerId &&
               await reads.TryRecordAsync(dealerId, accountId, normalized, Kinds, cancellationToken)
            ? new DealerCarView(normalized, await carData.SummaryAsync(normalized, cancellationToken))
            : null;
    }
}
