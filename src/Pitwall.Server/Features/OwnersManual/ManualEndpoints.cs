using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.OwnersManual;

/// <param name="Name">How the reader wants to be addressed, 1–100 characters.</param>
internal sealed record ManualProfileRequest(string? Name);

/// <param name="DeletedAfter">When the profile goes if the manual is not used again (one year after its last use).</param>
internal sealed record ManualProfileResponse(string Name, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, DateTimeOffset DeletedAfter);

/// <summary><c>/api/v1/manual</c> (the reader's usage profile, the drawings) and <c>/api/v1/vehicles/{vin}/manual</c> (F4).</summary>
public static class ManualEndpoints
{
    public const int MaxNameLength = 100;

    public static void MapManualEndpoints(this IEndpointRouteBuilder routes)
    {
        var profile = routes.MapGroup("/api/v1/manual/profile").WithTags("Owner's manual");
        profile.MapGet("/", GetProfile).RequireAuthorization(Scopes.ReadAccount).WithSummary("Your usage profile for the owner's manual.");
        profile.MapPut("/", PutProfile).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Create or rename your usage profile; the manual needs one. It is deleted after a year without use.");
        profile.MapDelete("/", DeleteProfile).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Delete your usage profile with your favourites and visited sections.");
        routes.MapGet("/api/v1/manual/images/{name}.svg", Image).AllowAnonymous().WithTags("Owner's manual")
            .WithSummary("A drawing of the manual (SVG); nothing personal, so no sign-in.");

        var manual = routes.MapGroup("/api/v1/vehicles/{vin}/manual").WithTags("Owner's manual")
            .RequireAuthorization(Scopes.ReadVehicle).RequireVehicleService(ServiceIds.OwnersManual, ServiceUse.Read);
        manual.MapGet("/", Contents).WithSummary("The car's manual: chapters for its model, your favourites and recent sections, the car's recent sections.");
        manual.MapGet("/sections/{id}", Section).WithSummary("One section; noted as visited.");
        manual.MapGet("/warnings/{code}", Warning).WithSummary("The section a warning or information message of the car links to; noted as visited.");
        manual.MapGet("/search", Search).WithSummary("Full-text search in the car's manual (q: 2–100 characters, none finds nothing; the last word may be incomplete).");
        manual.MapPut("/favourites/{id}", (ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string id, CancellationToken ct) =>
            Favourite(user, car, reader, id, true, ct)).WithSummary("Mark a section as a favourite.");
        manual.MapDelete("/favourites/{id}", (ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string id, CancellationToken ct) =>
            Favourite(user, car, reader, id, false, ct)).WithSummary("Unmark a favourite.");
    }

    private static async Task<Results<Ok<ManualProfileResponse>, ProblemHttpResult>> GetProfile(
        ClaimsPrincipal user, ManualStore store, CancellationToken cancellationToken) =>
        await store.ProfileAsync(user.AccountIdOf(), cancellationToken) is { } profile
            ? TypedResults.Ok(Response(profile))
            : ApiProblems.Problem(ManualReader.ProfileRequired with { Status = StatusCodes.Status404NotFound });

    private static async Task<Results<Ok<ManualProfileResponse>, ValidationProblem>> PutProfile(
        ManualProfileRequest request, ClaimsPrincipal user, ManualStore store, CancellationToken cancellationToken)
    {
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > MaxNameLength)
        {
            var errors = new ValidationErrors();
            errors.Add("name", $"Give a name of 1 to {MaxNameLength} characters.");
            return ApiProblems.Validation(errors);
        }
        return TypedResults.Ok(Response(await store.SaveProfileAsync(user.AccountIdOf(), name, cancellationToken)));
    }

    private static async Task<NoContent> DeleteProfile(ClaimsPrincipal user, ManualStore store, CancellationToken cancellationToken)
    {
        await store.DeleteProfileAsync(user.AccountIdOf(), cancellationToken);
        return TypedResults.NoContent();
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Image(string name) =>
        ManualContent.Image(name) is { } svg
            ? TypedResults.File(svg, "image/svg+xml", lastModified: null, entityTag: null)
            : ApiProblems.NotFound("The drawing");

    private static async Task<Results<Ok<ManualResponse>, ValidationProblem, ProblemHttpResult>> Contents(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, CancellationToken cancellationToken) =>
        await reader.EnterAsync(user.AccountIdOf(), cancellationToken) is { } refusal
            ? ApiProblems.Refused<Ok<ManualResponse>>(refusal)
            : TypedResults.Ok(await reader.TableOfContentsAsync(user.AccountIdOf(), car.Vin, car.Since, cancellationToken));

    private static Task<Results<Ok<ManualSectionResponse>, ValidationProblem, ProblemHttpResult>> Section(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string id, CancellationToken cancellationToken) =>
        OpenAsync(user, car, reader, id, null, cancellationToken);

    private static Task<Results<Ok<ManualSectionResponse>, ValidationProblem, ProblemHttpResult>> Warning(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string code, CancellationToken cancellationToken) =>
        OpenAsync(user, car, reader, null, code, cancellationToken);

    private static async Task<Results<Ok<ManualSectionResponse>, ValidationProblem, ProblemHttpResult>> OpenAsync(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string? sectionId, string? warningCode, CancellationToken cancellationToken)
    {
        if (await reader.EnterAsync(user.AccountIdOf(), cancellationToken) is { } refusal)
        {
            return ApiProblems.Refused<Ok<ManualSectionResponse>>(refusal);
        }
        var (section, notFound) = await reader.OpenAsync(user.AccountIdOf(), car.Vin, sectionId, warningCode, cancellationToken);
        return ApiProblems.OkOr(section, notFound);
    }

    private static async Task<Results<Ok<ManualSearchResponse>, ValidationProblem, ProblemHttpResult>> Search(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string? q, CancellationToken cancellationToken)
    {
        if (await reader.EnterAsync(user.AccountIdOf(), cancellationToken) is { } refusal)
        {
            return ApiProblems.Refused<Ok<ManualSearchResponse>>(refusal);
        }
        var (result, invalid) = await reader.SearchAsync(car.Vin, q, cancellationToken);
        return ApiProblems.OkOr(result, invalid);
    }

    private static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> Favourite(
        ClaimsPrincipal user, CurrentVehicle car, ManualReader reader, string sectionId, bool favourite, CancellationToken cancellationToken)
    {
        var refusal = await reader.EnterAsync(user.AccountIdOf(), cancellationToken)
            ?? await reader.SetFavouriteAsync(user.AccountIdOf(), car.Vin, sectionId, favourite, cancellationToken);
        return refusal is null ? TypedResults.NoContent() : ApiProblems.Refused<NoContent>(refusal);
    }

    private static ManualProfileResponse Response(ManualProfile p) =>
        new(p.Name, p.CreatedAt, p.LastUsedAt, p.LastUsedAt + OwnersManualModule.ProfileKeptUnused);
}
