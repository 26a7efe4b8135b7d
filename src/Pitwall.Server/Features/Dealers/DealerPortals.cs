using Pitwall.Server.Features.SmartService;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Dealers;

/// <summary>
/// The car's side of dealers and appointments as the portal's owner page uses them (F1) — the same services and rules as the
/// API. The caller has found the car among the account's and passed the vehicle-service gate for the use; <c>since</c> is when
/// the account got the car (it sees the appointments from then on).
/// </summary>
public interface ICarDealers
{
    /// <summary>The preferred dealer, the directory (filtered by <paramref name="q"/>), the car's appointments and the dealers' reads.</summary>
    Task<CarDealerView> ViewAsync(string vin, DateTimeOffset since, string? q, CancellationToken cancellationToken);

    Task<Refusal?> ChooseAsync(string vin, string accountId, string? dealerId, CancellationToken cancellationToken);

    Task RevokeAsync(string vin, CancellationToken cancellationToken);

    /// <summary>Sends the dealer (the preferred one unless named) to the car's navigation.</summary>
    Task<Refusal?> NavigateAsync(string vin, string? dealerId, CancellationToken cancellationToken);

    /// <param name="slots">Wished starts as the form sends them, the dealer's local time ("yyyy-MM-ddTHH:mm"); empty ones are left out.</param>
    /// <param name="reason">Empty: what is due.</param>
    Task<Refusal?> RequestAsync(
        string vin, string accountId, string? dealerId, IEnumerable<string?> slots, string? reason, CancellationToken cancellationToken);

    /// <summary>The owner's answer: <see cref="AppointmentMove.Accept"/> a proposed time or <see cref="AppointmentMove.Cancel"/>.</summary>
    Task<Refusal?> MoveAsync(string vin, DateTimeOffset since, string id, AppointmentMove move, CancellationToken cancellationToken);

    /// <summary>The appointment as an iCalendar file; null when the car has no such appointment or no time is set yet.</summary>
    Task<CalendarFile?> CalendarAsync(string vin, DateTimeOffset since, string id, CancellationToken cancellationToken);

    /// <summary>What is due and the open faults as one line, the reason a request is prefilled with.</summary>
    Task<string> DueSummaryAsync(string vin, CancellationToken cancellationToken);
}

/// <summary>The dealer console as the portal's dealer pages use it (F1), for the signed-in staff account — the same services and
/// rules as <c>/api/v1/dealer</c>.</summary>
public interface IDealerConsole
{
    /// <summary>The dealer the account works for, or why there is none (<c>dealer_account_not_linked</c>).</summary>
    Task<(DealerResponse? Dealer, Refusal? Refusal)> DealerOfAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>The dealer's appointments, open ones first.</summary>
    Task<IReadOnlyList<AppointmentResponse>> AppointmentsAsync(string dealerId, CancellationToken cancellationToken);

    /// <summary>The dealer's answer: confirm, propose, decline or complete.</summary>
    /// <param name="startsAt">Confirm: a requested start (ISO 8601); propose: the dealer's local time ("yyyy-MM-ddTHH:mm").</param>
    /// <returns>The appointment's state after the move, or why not.</returns>
    Task<(string? State, Refusal? Refusal)> MoveAsync(
        string accountId, string id, AppointmentMove move, string? startsAt, int? durationMinutes, string? note, CancellationToken cancellationToken);

    /// <summary>The car's transmitted data, a read of each kind (health, faults, logs) logged for the owner first; null when the dealer
    /// may not read the car.</summary>
    Task<DealerCarView?> ReadAllAsync(string accountId, string vin, CancellationToken cancellationToken);
}

/// <summary>What the owner's dealer page shows of a car.</summary>
public sealed record CarDealerView(
    DealerResponse? Preferred, IReadOnlyList<DealerResponse> Directory, IReadOnlyList<AppointmentResponse> Bookings,
    IReadOnlyList<DealerReadResponse> Reads, IReadOnlyDictionary<string, DealerResponse> Dealers);

/// <summary>A car's data as the dealer console shows it: what the car transmitted, as the Smart Service keeps it.</summary>
/// <param name="Health">The latest log's time and odometer, the components and the open faults; null when the car never sent a log.</param>
public sealed record DealerCarView(string Vin, CarHealthSummary? Health);

public sealed record CalendarFile(string FileName, string ContentType, string Content);
