using System.Globalization;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The dealer console's portal pages on the same services as its API.</summary>
internal sealed class DealerConsole(DealerStore dealers, AppointmentStore store, Appointments appointments, DealerCarReads reads)
{
    private static readonly string[] Kinds = [DealerAccessLog.Health, DealerAccessLog.Faults, DealerAccessLog.Logs];

    public async Task<Dealer?> DealerOfAsync(string accountId, CancellationToken cancellationToken) =>
        await dealers.DealerOfAsync(accountId, cancellationToken) is { } id ? await dealers.FindAsync(id, cancellationToken) : null;

    public async Task<IReadOnlyList<AppointmentResponse>> AppointmentsAsync(string dealerId, CancellationToken cancellationToken) =>
        [.. (await store.OfDealerAsync(dealerId, openOnly: false, cancellationToken)).Select(AppointmentResponse.From)];

    /// <param name="startsAt">Confirm: a requested start (ISO 8601); propose: the dealer's local time ("yyyy-MM-ddTHH:mm").</param>
    public async Task<Refusal?> MoveAsync(
        string accountId, string id, AppointmentMove move, string? startsAt, int? durationMinutes, string? note, CancellationToken cancellationToken)
    {
        if (await DealerOfAsync(accountId, cancellationToken) is not { } dealer)
        {
            return DealerConsoleEndpoints.NotLinked;
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
                return Refusal.Invalid("startsAt", "A start at least an hour and at most 180 days ahead.");
            }
        }
        return (await appointments.MoveAsync(new AppointmentActor.OfDealer(dealer.Id), id, move, new AppointmentAnswer(start, durationMinutes, note), cancellationToken)).Refusal;
    }

    /// <summary>Every kind of the car's data, each read logged; null when the dealer may not read the car (or the account has no dealer).</summary>
    public async Task<(string Vin, IReadOnlyList<(string What, object? Data)> Reads)?> ReadAllAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        if (await dealers.DealerOfAsync(accountId, cancellationToken) is not { } dealerId)
        {
            return null;
        }
        var found = new List<(string, object?)>();
        foreach (var what in Kinds)
        {
            if (await reads.TryReadAsync(dealerId, accountId, vin, what, cancellationToken) is not { } data)
            {
                return null;
            }
            found.Add((what, data.Data));
        }
        return (Protocol.Vin.Normalize(vin), found);
    }
}
