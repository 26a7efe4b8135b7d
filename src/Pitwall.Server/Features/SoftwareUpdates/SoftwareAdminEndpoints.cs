using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary><c>/api/v1/admin/software</c>: administrators manage software modules and their artifacts, distribution sets and
/// update targets, assign sets to targets and cancel actions.</summary>
internal static class SoftwareAdminEndpoints
{
    public static void MapSoftwareAdminEndpoints(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/api/v1/admin/software").WithTags("Software updates").RequireAuthorization(Scopes.ControlAdmin);
        admin.MapGet("/modules", async (CatalogueStore catalogue, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalogue.ModulesAsync(cancellationToken)).Select(ModuleResponse.From).ToList()))
            .WithSummary("Every software module with its artifacts.");
        admin.MapPost("/modules", CreateModule).WithSummary("Add a software module (name + version, immutable); upload its artifacts next.");
        admin.MapGet("/modules/{id}", GetModule).WithSummary("One software module with its artifacts and their hashes.");
        admin.MapPut("/modules/{id}/artifacts/{filename}", Upload).Accepts<Stream>("application/octet-stream")
            .WithSummary("Upload an artifact as the raw request body (streamed to disk, hashed with SHA-256, SHA-1 and MD5).");
        admin.MapGet("/modules/{id}/artifacts/{filename}", Download).WithSummary("Download an artifact (byte ranges honoured).");
        admin.MapGet("/sets", async (CatalogueStore catalogue, CancellationToken cancellationToken) =>
                TypedResults.Ok((await catalogue.SetsAsync(cancellationToken)).Select(SetResponse.From).ToList()))
            .WithSummary("Every distribution set.");
        admin.MapPost("/sets", CreateSet).WithSummary("Add a distribution set: modules for a model, model years and hardware variant.");
        admin.MapPost("/sets/{id}/assignments", Assign).WithSummary("Assign the set to targets: one action per target that fits and has no open action.");
        admin.MapPost("/targets", CreateTarget).WithSummary("Add an update target (a car or a device) and get its target token, shown once.");
        admin.MapGet("/targets/{controllerId}", Target).WithSummary("A target's software state: installed set, attributes, actions with their statuses.");
        admin.MapPost("/targets/{controllerId}/attribute-request", RequestAttributes)
            .WithSummary("Ask the target for its attributes: its next base poll links configData (as hawkBit's \"request attributes\").");
        admin.MapPost("/actions/{id:long}/cancel", Cancel).WithSummary("Ask the target to cancel an open action; it ends when the target confirms.");
    }

    private static async Task<Results<Created<ModuleResponse>, ValidationProblem, ProblemHttpResult>> CreateModule(
        ModuleCreateRequest request, SoftwareAdministration administration, CancellationToken cancellationToken)
    {
        var (module, refusal) = await administration.CreateModuleAsync(request, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<ModuleResponse>>(refusal)
            : TypedResults.Created($"/api/v1/admin/software/modules/{module!.Id}", ModuleResponse.From(module));
    }

    private static async Task<Results<Ok<ModuleResponse>, ProblemHttpResult>> GetModule(string id, CatalogueStore catalogue, CancellationToken cancellationToken) =>
        await catalogue.FindModuleAsync(id, cancellationToken) is { } module ? TypedResults.Ok(ModuleResponse.From(module)) : ApiProblems.NotFound("The software module");

    private static async Task<Results<Created<ArtifactResponse>, ValidationProblem, ProblemHttpResult>> Upload(
        string id, string filename, HttpContext http, SoftwareAdministration administration, IOptions<SoftwareUpdateOptions> options, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = options.Value.MaxArtifactBytes; // the artifact's own limit, not the API's
        }
        var (artifact, refusal) = await administration.UploadAsync(id, filename, http.Request.Body, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<ArtifactResponse>>(refusal)
            : TypedResults.Created($"/api/v1/admin/software/modules/{id}/artifacts/{filename}", ArtifactResponse.From(artifact!));
    }

    private static async Task<IResult> Download(string id, string filename, CatalogueStore catalogue, ArtifactStore files, CancellationToken cancellationToken) =>
        await catalogue.FindArtifactAsync(id, filename, cancellationToken) is { } artifact
            ? ArtifactFiles.Serve(files, artifact)
            : ApiProblems.NotFound("The artifact");

    private static async Task<Results<Created<SetResponse>, ValidationProblem, ProblemHttpResult>> CreateSet(
        SetCreateRequest request, SoftwareAdministration administration, CancellationToken cancellationToken)
    {
        var (set, refusal) = await administration.CreateSetAsync(request, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<SetResponse>>(refusal)
            : TypedResults.Created($"/api/v1/admin/software/sets/{set!.Id}", SetResponse.From(set));
    }

    private static async Task<Results<Ok<AssignResponse>, ValidationProblem, ProblemHttpResult>> Assign(
        string id, AssignRequest request, SoftwareAdministration administration, CancellationToken cancellationToken)
    {
        var (result, refusal) = await administration.AssignAsync(id, request, cancellationToken);
        return ApiProblems.OkOr(result, refusal);
    }

    private static async Task<Results<Created<TargetCreatedResponse>, ValidationProblem, ProblemHttpResult>> CreateTarget(
        TargetCreateRequest request, SoftwareAdministration administration, CancellationToken cancellationToken)
    {
        var (created, refusal) = await administration.CreateTargetAsync(request, cancellationToken);
        return refusal is not null
            ? ApiProblems.Refused<Created<TargetCreatedResponse>>(refusal)
            : TypedResults.Created($"/api/v1/admin/software/targets/{created!.ControllerId}", created);
    }

    private static async Task<Results<Ok<TargetResponse>, ProblemHttpResult>> Target(
        string controllerId, SoftwareAdministration administration, CancellationToken cancellationToken) =>
        await administration.StateAsync(controllerId, cancellationToken) is { } state ? TypedResults.Ok(state) : ApiProblems.NotFound("The target");

    private static async Task<Results<Accepted, ProblemHttpResult>> RequestAttributes(
        string controllerId, SoftwareAdministration administration, CancellationToken cancellationToken) =>
        await administration.RequestAttributesAsync(controllerId, cancellationToken) ? TypedResults.Accepted((string?)null) : ApiProblems.NotFound("The target");

    private static async Task<Results<Accepted<ActionResponse>, ValidationProblem, ProblemHttpResult>> Cancel(
        long id, SoftwareAdministration administration, CancellationToken cancellationToken)
    {
        var (action, refusal) = await administration.CancelAsync(id, cancellationToken);
        return refusal is not null ? ApiProblems.Refused<Accepted<ActionResponse>>(refusal) : TypedResults.Accepted((string?)null, ActionResponse.From(action!));
    }
}
