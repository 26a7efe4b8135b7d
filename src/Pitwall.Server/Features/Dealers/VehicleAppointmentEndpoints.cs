using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary><c>/api/v1/vehicles/{vin}/appointments</c>: the car's users request service appointments, accept a dealer's
/// proposal, cancel, and take the appointment into their calendar (iCalendar).</summary>
internal static class VehicleAppointmentEndpoints
{
    public static void MapVehicleAppointmentEndpoints(this IEndpointRouteBuilder routes)
    {
        var appointments = routes.MapGroup("/api/v1/vehicles/{vin}/appointments").WithTags("Dealers and appointments");
        appointments.MapGet("/", List).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Read)
            .WithSummary("The car's service appointments since you have had the car, newest first.");
        appointments.MapPost("/", Request).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, DealerServiceUses.Booking)
            .WithSummary("Request a service appointment with wished times; the dealer confirms, proposes another time or declines.");
        appointments.MapGet("/{id}", Get).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Read)
            .WithSummary("One service appointment.");
        appointments.MapPost("/{id}/accept", Accept).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, DealerServiceUses.Booking)
            .WithSummary("Accept the time the dealer proposed.");
        appointments.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Scopes.ControlVehicle).RequireVehicleService(ServiceIds.Maintenance, DealerServiceUses.Booking)
            .WithSummary("Cancel a requested, proposed or confirmed appointment.");
        appointments.MapGet("/{id}/calendar", Calendar).RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.Maintenance, ServiceUse.Read)
            .WithSummary("The appointment as an iCalendar file (RFC 5545) once a time is proposed or confirmed.")
            .Produces<string>(StatusCodes.Status200OK, "text/calendar");
    }

    private static async Task<Ok<IReadOnlyList<AppointmentResponse>>> List(CurrentVehicle car, AppointmentStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<AppointmentResponse>>([.. (await store.OfCarAsync(car.Vin, car.Since, cancellationToken)).Select(AppointmentResponse.From)]);

    private static async Task<Results<Created<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Request(
        AppointmentCreateRequest request, CurrentVehicle car, ClaimsPrincipal user, Appointments appointments, CancellationToken cancellationToken)
    {
        var (filed, refusal) = await appointments.RequestAsync(car.Vin, user.AccountIdOf(), AppointmentChannels.App,
            new AppointmentRequest(request.DealerId is { Length: > 0 } d ? d : null, request.Slots, request.Reason), cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<AppointmentResponse>>(refusal)
            : TypedResults.Created($"/api/v1/vehicles/{car.Vin}/appointments/{filed!.Id}", AppointmentResponse.From(filed));
    }

    private static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Get(
        string id, CurrentVehicle car, Appointments appointments, CancellationToken cancellationToken) =>
        await appointments.FindAsync(Of(car), id, cancellationToken) is { } a
            ? TypedResults.Ok(AppointmentResponse.From(a))
            : ApiProblems.Problem(Appointments.AppointmentNotFound);

    private static Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Accept(
        string id, CurrentVehicle car, Appointments appointments, CancellationToken cancellationToken) =>
        MapMoveAsync(Of(car), id, AppointmentMove.Accept, appointments, cancellationToken);

    private static Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        string id, CurrentVehicle car, Appointments appointments, CancellationToken cancellationToken) =>
        MapMoveAsync(Of(car), id, AppointmentMove.Cancel, appointments, cancellationToken);

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Calendar(
        string id, CurrentVehicle car, Appointments appointments, DealerStore dealers, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await appointments.FindAsync(Of(car), id, cancellationToken) is not { } a)
        {
            return ApiProblems.Problem(Appointments.AppointmentNotFound);
        }
        var dealer = (await dealers.FindAsync(a.DealerId, cancellationToken))!;
        return AppointmentCalendar.For(a, dealer, time.GetUtcNow()) is { } ics
            ? TypedResults.Text(ics, AppointmentCalendar.ContentType)
            : ApiProblems.Problem(Refusal.Conflict(DealerErrorCodes.AppointmentStateConflict, "The dealer has set no time yet."));
    }

    /// <summary>A move of the car's side, mapped for the API (the dealer console maps its own the same way).</summary>
    public static async Task<Results<Ok<AppointmentResponse>, ValidationProblem, ProblemHttpResult>> MapMoveAsync(
        AppointmentActor actor, string id, AppointmentMove move, Appointments appointments, CancellationToken cancellationToken,
        AppointmentAnswerRequest? answer = null)
    {
        var (moved, refusal) = await appointments.MoveAsync(actor, id, move,
            new AppointmentAnswer(answer?.StartsAt, answer?.DurationMinutes, answer?.Note), cancellationToken);
        return ApiProblems.OkOr(moved is null ? null : AppointmentResponse.From(moved), refusal);
    }

    private static AppointmentActor Of(CurrentVehicle car) => new AppointmentActor.OfCar(car.Vin, car.Since);
}
