namespace Pitwall.Server.Features.Dealers;

public sealed record DealerAddressResponse(string Street, string PostalCode, string City, string Country);

public sealed record DealerPositionResponse(double Latitude, double Longitude);

/// <param name="Days">ISO weekdays, 1 = Monday … 7 = Sunday.</param>
/// <param name="Opens">Local time of the dealer, "HH:mm".</param>
public sealed record OpeningHoursResponse(int[] Days, string Opens, string Closes);

/// <param name="Services">maintenance, repair, tyres, bodywork, high_voltage, software_update.</param>
/// <param name="DistanceM">From the position searched near, metres; null without one.</param>
public sealed record DealerResponse(
    string Id, string Name, DealerAddressResponse Address, DealerPositionResponse Position, string? Phone, string? Email, string TimeZone,
    IReadOnlyList<OpeningHoursResponse> OpeningHours, IReadOnlyList<string> Services, double? DistanceM)
{
    internal static DealerResponse From(Dealer d, double? distanceM = null) => new(
        d.Id, d.Name, new(d.Street, d.PostalCode, d.City, d.Country), new(d.Latitude, d.Longitude), d.Phone, d.Email, d.TimeZone,
        [.. d.OpeningHours.Select(h => new OpeningHoursResponse(h.Days, h.Opens, h.Closes))], d.Services,
        distanceM is { } m ? Math.Round(m) : null);
}

/// <param name="Dealer">Null when the owner chose none (or revoked the choice).</param>
internal sealed record PreferredDealerResponse(DealerResponse? Dealer, DateTimeOffset? ChosenAt);

internal sealed record PreferredDealerRequest(string? DealerId);

/// <param name="DealerKeepsAccess">The dealer still reads the car's data while an appointment with it is open.</param>
internal sealed record PreferredDealerRevokedResponse(string? DealerId, bool DealerKeepsAccess);

/// <param name="DealerId">Null = the car's preferred dealer.</param>
internal sealed record NavigationRequest(string? DealerId);

internal sealed record NavigationResponse(string DestinationId, string DealerId, DateTimeOffset QueuedAt);

/// <param name="DealerId">Null = the car's preferred dealer.</param>
/// <param name="Slots">One to three wished starts, at least an hour and at most 180 days ahead, within the dealer's opening hours.</param>
/// <param name="Reason">At most 500 characters; empty = what is due, as the car's health data says.</param>
internal sealed record AppointmentCreateRequest(string? DealerId, IReadOnlyList<DateTimeOffset>? Slots, string? Reason);

/// <param name="StartsAt">Confirm: one of the requested slots (default the first). Propose: the new start.</param>
/// <param name="DurationMinutes">15–480; default 60.</param>
/// <param name="Note">For the owner, at most 500 characters.</param>
internal sealed record AppointmentAnswerRequest(DateTimeOffset? StartsAt, int? DurationMinutes, string? Note);

/// <param name="State">requested, proposed, confirmed, declined, cancelled or completed.</param>
/// <param name="Channel">Where it was asked for: app, portal or car.</param>
/// <param name="StartsAt">The proposed or confirmed start; null while only requested.</param>
public sealed record AppointmentResponse(
    string Id, string Vin, string DealerId, string State, string Channel, string Reason, IReadOnlyList<DateTimeOffset> RequestedSlots,
    DateTimeOffset? StartsAt, int DurationMinutes, string? DealerNote, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    internal static AppointmentResponse From(Appointment a) => new(
        a.Id, a.Vin, a.DealerId, a.State, a.Channel, a.Reason, a.RequestedSlots, a.StartsAt, a.DurationMinutes, a.DealerNote, a.CreatedAt, a.UpdatedAt);
}

/// <param name="What">health, faults or logs.</param>
public sealed record DealerReadResponse(string DealerId, string DealerName, string What, DateTimeOffset ReadAt);

/// <param name="Data">What the car transmitted, as the Smart Service keeps it; null when nothing is stored.</param>
internal sealed record DealerCarDataResponse(string Vin, string What, object? Data);

internal sealed record DealerCreateRequest(
    string? Id, string? Name, string? Street, string? PostalCode, string? City, string? Country, double? Latitude, double? Longitude,
    string? Phone, string? Email, string? TimeZone, IReadOnlyList<OpeningHoursResponse>? OpeningHours, IReadOnlyList<string>? Services);

internal sealed record DealerStaffRequest(string? Email, string? Name, string? Password);

internal sealed record DealerStaffResponse(string AccountId, string DealerId);
