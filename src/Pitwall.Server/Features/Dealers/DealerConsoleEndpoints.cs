using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The dealer an API request of the console works for (one per request, filled by the console group's filter).</summary>
internal sealed class CurrentDealer
{
    public string Id { get; set; } = "";
}

/// <summary>
/// <c>/api/v1/dealer</c>: the dealer console. Its staff see the dealer's appointments and answer them, and read the data a car
/// transmitted — by VIN, only for cars whose owner chose this dealer or has an open appointment with it; any other VIN reads as
/// absent (404). Every read is logged before the data is handed out, and the car's owner sees the log.
/// </summary>
internal static class DealerConsoleEndpoints
{
    public static readonly Refusal NotLinked = new(StatusCodes.Status403Forbidden, DealerErrorCodes.DealerAccountNotLinked,
        "This account works for no dealer; an administrator links it to one.");

    public static void MapDealerConsoleEndpoints(this IEndpointRouteBuilder routes)
    {
        var console = routes.MapGroup("/api/v1/dealer").WithTags("Dealer console").RequireAuthorization(Scopes.ReadDealer);
        console.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (await http.RequestServices.GetRequiredService<DealerStore>().DealerOfAsync(http.User.AccountIdOf(), http.RequestAborted) is not { } dealerId)
            {
                return ApiProblems.Problem(NotLinked);
            }
            http.RequestServices.GetRequiredService<CurrentDealer>().Id = dealerId;
            return await next(context);
        });
        console.MapGet("/", Me).WithSummary("The dealer this account works for.");
        console.MapGet("/appointments", List).WithSummary("The dealer's appointments, open ones first.");
        console.MapGet("/appointments/{id}", Get).WithSummary("One appointment.");
        foreach (var (path, move, summary) in (ReadOnlySpan<(string, AppointmentMove, string)>)
                 [
                     ("confirm", AppointmentMove.Confirm, "Confirm one of the requested times (default the first)."),
                     ("propose", AppointmentMove.Propose, "Propose another time; the owner accepts it or cancels."),
                     ("decline", AppointmentMove.Decline, "Decline the request."),
                     ("complete", AppointmentMove.Complete, "Mark a confirmed appointment as done."),
                 ])
        {
            console.MapPost($"/appointments/{{id}}/{path}", (string id, AppointmentAnswerRequest? answer, CurrentDealer dealer, Appointments appointments, CancellationToken ct) =>
                    VehicleAppointmentEndpoints.MapMoveAsync(new AppointmentActor.OfDealer(dealer.Id), id, move, appointments, ct, answer))
                .RequireAuthorization(Scopes.ControlDealer).WithSummary(summary);
        }
        console.MapGet("/cars/{vin}/health", (string vin, CurrentDealer dealer, ClaimsPrincipal user, DealerCarReads reads, CancellationToken ct) =>
            reads.ReadAsync(dealer.Id, user.AccountIdOf(), vin, DealerAccessLog.Health, ct)).WithSummary("The state of the car's components and what is due.");
        console.MapGet("/cars/{vin}/faults", (string vin, CurrentDealer dealer, ClaimsPrincipal user, DealerCarReads reads, CancellationToken ct) =>
            reads.ReadAsync(dealer.Id, user.AccountIdOf(), vin, DealerAccessLog.Faults, ct)).WithSummary("The car's open faults with their descriptions.");
        console.MapGet("/cars/{vin}/logs", (string vin, CurrentDealer dealer, ClaimsPrincipal user, DealerCarReads reads, CancellationToken ct) =>
            reads.ReadAsync(dealer.Id, user.AccountIdOf(), vin, DealerAccessLog.Logs, ct)).WithSummary("The car's latest service log.");
    }

    private static async Task<Ok<DealerResponse>> Me(CurrentDealer dealer, DealerStore dealers, CancellationToken cancellationToken) =>
        TypedResults.Ok(DealerResponse.From((await dealers.FindAsync(dealer.Id, cancellationToken))!));

    private static async Task<Ok<IReadOnlyList<AppointmentResponse>>> List(
        CurrentDealer dealer, AppointmentStore store, CancellationToken cancellationToken, bool open = false) =>
        TypedResults.Ok<IReadOnlyList<AppointmentResponse>>([.. (await store.OfDealerAsync(dealer.Id, open, cancellationToken)).Select(AppointmentResponse.From)]);

    private static async Task<Results<Ok<AppointmentResponse>, ProblemHttpResult>> Get(
        string id, CurrentDealer dealer, Appointments appointments, CancellationToken cancellationToken) =>
        await appointments.FindAsync(new AppointmentActor.OfDealer(dealer.Id), id, cancellationToken) is { } a
            ? TypedResults.Ok(AppointmentResponse.From(a))
            : ApiProblems.Problem(Appointments.AppointmentNotFound);
}

/// <summary>A dealer's read of a car's data: allowed only for a car that chose the dealer or has an open appointment with it,
/// logged before the data goes out.</summary>
internal sealed class DealerCarReads(AppointmentStore appointments, DealerAccessLog log, DealerCarData carData)
{
    public async Task<Results<Ok<DealerCarDataResponse>, ProblemHttpResult>> ReadAsync(
        string dealerId, string accountId, string vin, string what, CancellationToken cancellationToken) =>
        await TryReadAsync(dealerId, accountId, vin, what, cancellationToken) is { } read
            ? TypedResults.Ok(read)
            : ApiProblems.Problem(Refusal.VehicleNotFound);

    /// <returns>Null when the dealer may not read the car.</returns>
    public async Task<DealerCarDataResponse?> TryReadAsync(string dealerId, string accountId, string vin, string what, CancellationToken cancellationToken)
    {
        var normalized = Vin.Normalize(vin);
        return await TryRecordAsync(dealerId, accountId, normalized, [what], cancellationToken)
            ? new DealerCarDataResponse(normalized, what, await carData.ReadAsync(normalized, what, cancellationToken))
            : null;
    }

    /// <summary>Logs a read of each kind when the dealer may read the car (<paramref name="vin"/> normalised).</summary>
    /// <returns>False when it may not: nothing is logged.</returns>
    public async Task<bool> TryRecordAsync(string dealerId, string accountId, string vin, IEnumerable<string> kinds, CancellationToken cancellationToken)
    {
        if (!await appointments.DealerMayReadAsync(dealerId, vin, cancellationToken))
        {
            return false;
        }
        foreach (var what in kinds)
        {
            await log.RecordAsync(vin, dealerId, accountId, what, cancellationToken);
        }
        return true;
    }
}
