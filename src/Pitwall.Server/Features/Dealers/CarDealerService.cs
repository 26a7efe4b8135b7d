using System.Globalization;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>What the car's users do about dealers — choose one, send it to the car, request and answer appointments — for the
/// API and the portal page alike (the caller has passed the vehicle-service gate).</summary>
internal sealed class CarDealerService(
    DealerStore dealers, DealerDirectory directory, AppointmentStore store, Appointments appointments, DealerNavigation navigation, DealerAccessLog log,
    DealerCarData carData, TimeProvider time) : ICarDealers
{
    public async Task<CarDealerView> ViewAsync(string vin, DateTimeOffset since, string? q, CancellationToken cancellationToken)
    {
        var preferred = await dealers.PreferredAsync(vin, cancellationToken) is var (id, _) ? await dealers.FindAsync(id, cancellationToken) : null;
        var found = await directory.SearchAsync(new DealerSearch(null, null, null, q, null, 50), new ValidationErrors(), cancellationToken);
        var booked = await store.OfCarAsync(vin, since, cancellationToken);
        var reads = await log.OfCarAsync(vin, since, 100, cancellationToken);
        var known = new Dictionary<string, DealerResponse>(StringComparer.Ordinal);
        foreach (var dealerId in booked.Select(a => a.DealerId).Concat(reads.Select(r => r.DealerId)).Distinct())
        {
            if (await dealers.FindAsync(dealerId, cancellationToken) is { } d)
            {
                known[dealerId] = DealerResponse.From(d);
            }
        }
        foreach (var d in found.Select(f => f.Dealer).Append(preferred).OfType<Dealer>())
        {
            known[d.Id] = DealerResponse.From(d);
        }
        return new(preferred is null ? null : DealerResponse.From(preferred), [.. found.Select(f => DealerResponse.From(f.Dealer))],
            [.. booked.Select(AppointmentResponse.From)],
            [.. reads.Select(r => new DealerReadResponse(r.DealerId, known.TryGetValue(r.DealerId, out var d) ? d.Name : r.DealerId, r.What, r.ReadAt))], known);
    }

    /// <returns>The dealer chosen, or why not.</returns>
    public async Task<(Dealer? Dealer, DateTimeOffset ChosenAt, Refusal? Refusal)> ChooseAsync(
        string vin, string accountId, string? dealerId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (dealerId is not { Length: > 0 } || await dealers.FindAsync(dealerId, cancellationToken) is not { } dealer)
        {
            return (null, now, VehicleDealerEndpoints.DealerNotFound);
        }
        await dealers.SetPreferredAsync(vin, dealerId, accountId, now, cancellationToken);
        return (dealer, now, null);
    }

    async Task<Refusal?> ICarDealers.ChooseAsync(string vin, string accountId, string? dealerId, CancellationToken cancellationToken) =>
        (await ChooseAsync(vin, accountId, dealerId, cancellationToken)).Refusal;

    public Task RevokeAsync(string vin, CancellationToken cancellationToken) => dealers.RevokePreferredAsync(vin, cancellationToken);

    /// <summary>Sends the dealer (the preferred one unless named) to the car's navigation.</summary>
    /// <returns>The destination's id and the dealer's, or why not.</returns>
    public async Task<(string? DestinationId, string? DealerId, Refusal? Refusal)> NavigateAsync(string vin, string? dealerId, CancellationToken cancellationToken)
    {
        var id = dealerId is { Length: > 0 } ? dealerId : (await dealers.PreferredAsync(vin, cancellationToken))?.DealerId;
        if (id is null)
        {
            return (null, null, Appointments.NoPreferredDealer);
        }
        if (await dealers.FindAsync(id, cancellationToken) is not { } dealer)
        {
            return (null, null, VehicleDealerEndpoints.DealerNotFound);
        }
        return (await navigation.SendAsync(vin, dealer, cancellationToken), dealer.Id, null);
    }

    async Task<Refusal?> ICarDealers.NavigateAsync(string vin, string? dealerId, CancellationToken cancellationToken) =>
        (await NavigateAsync(vin, dealerId, cancellationToken)).Refusal;

    /// <param name="slots">Wished starts as the form sends them, the dealer's local time; empty ones are left out.</param>
    public async Task<Refusal?> RequestAsync(
        string vin, string accountId, string? dealerId, IEnumerable<string?> slots, string? reason, CancellationToken cancellationToken)
    {
        var id = dealerId is { Length: > 0 } ? dealerId : (await dealers.PreferredAsync(vin, cancellationToken))?.DealerId;
        var zone = id is null ? null : (await dealers.FindAsync(id, cancellationToken))?.Zone;
        var starts = new List<DateTimeOffset>();
        foreach (var text in slots.Where(s => !string.IsNullOrWhiteSpace(s)))
        {
            if (!DateTime.TryParseExact(text, ["yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            {
                return Refusal.Invalid("slots", "Each start at least an hour and at most 180 days ahead.");
            }
            var offset = (zone ?? TimeZoneInfo.Utc).GetUtcOffset(local);
            starts.Add(new DateTimeOffset(local, offset).ToUniversalTime());
        }
        var (_, refusal) = await appointments.RequestAsync(vin, accountId, AppointmentChannels.Portal,
            new AppointmentRequest(id, starts, reason), cancellationToken);
        return refusal;
    }

    public async Task<Refusal?> MoveAsync(string vin, DateTimeOffset since, string id, AppointmentMove move, CancellationToken cancellationToken) =>
        move is not (AppointmentMove.Accept or AppointmentMove.Cancel) ? throw new ArgumentOutOfRangeException(nameof(move), move, "Not a move of the car's side.")
        : (await appointments.MoveAsync(new AppointmentActor.OfCar(vin, since), id, move, new AppointmentAnswer(null, null, null), cancellationToken)).Refusal;

    public async Task<CalendarFile?> CalendarAsync(string vin, DateTimeOffset since, string id, CancellationToken cancellationToken) =>
        await appointments.FindAsync(new AppointmentActor.OfCar(vin, since), id, cancellationToken) is { } a &&
        await dealers.FindAsync(a.DealerId, cancellationToken) is { } dealer &&
        AppointmentCalendar.For(a, dealer, time.GetUtcNow()) is { } ics
            ? new CalendarFile($"appointment-{a.Id}.ics", AppointmentCalendar.ContentType, ics)
            : null;

    public Task<string> DueSummaryAsync(string vin, CancellationToken cancellationToken) => carData.DueSummaryAsync(vin, cancellationToken);
}
