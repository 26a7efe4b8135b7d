using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// Eclipse hawkBit's Direct Device Integration API at <c>/{tenant}/controller/v1/{controllerId}</c>, so that existing update
/// clients work unchanged: the base poll, deploymentBase and its feedback, cancelAction and its feedback, installedBase,
/// configData, and the artifacts (with byte ranges and <c>.MD5SUM</c>). Every route passes <see cref="DdiAccess"/> first.
/// </summary>
internal static class DdiEndpoints
{
    public static void MapDdiEndpoints(this IEndpointRouteBuilder routes)
    {
        var ddi = routes.MapGroup("/{tenant}/controller/v1/{controllerId}").WithTags("hawkBit DDI (update clients)").AllowAnonymous();
        ddi.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (target, refusal) = await http.RequestServices.GetRequiredService<DdiAccess>().EnterAsync(
                http.Request.RouteValues["tenant"]?.ToString() ?? "", http.Request.RouteValues["controllerId"]?.ToString() ?? "",
                http.Request.Headers.Authorization, http.RequestAborted);
            if (refusal is not null)
            {
                return ApiProblems.Problem(refusal);
            }
            http.RequestServices.GetRequiredService<DdiCaller>().Target = target!;
            return await next(context);
        });
        ddi.MapGet("", Poll).WithSummary("Base poll: the polling sleep and links to the open deployment, a cancellation, the installed set, configData.");
        ddi.MapGet("/deploymentBase/{actionId:long}", Deployment).WithSummary("The open deployment: handling and chunks with their artifacts.");
        ddi.MapPost("/deploymentBase/{actionId:long}/feedback", DeploymentFeedback).WithSummary("Progress and result of a deployment (410 once it is closed).");
        ddi.MapGet("/cancelAction/{actionId:long}", CancelAction).WithSummary("The cancellation the server asks for.");
        ddi.MapPost("/cancelAction/{actionId:long}/feedback", CancelFeedback).WithSummary("The controller confirms or refuses a cancellation.");
        ddi.MapGet("/installedBase/{actionId:long}", InstalledBase).WithSummary("The last successfully installed deployment.");
        ddi.MapPut("/configData", ConfigData).WithSummary("The controller's attributes (mode merge, replace or remove).");
        ddi.MapPut("/manifest", Manifest).Accepts<System.Text.Json.Nodes.JsonObject>("application/json")
            .WithSummary("Pitwall's extension (Uptane): the controller's signed version manifest; refused with manifest_invalid, manifest_bad_signature, manifest_wrong_vehicle or manifest_replayed.");
        ddi.MapGet("/softwaremodules/{moduleId}/artifacts", Artifacts).WithSummary("The artifacts of a module assigned to the controller.");
        ddi.MapGet("/softwaremodules/{moduleId}/artifacts/{fileName}", Artifact).WithSummary(
            "An artifact's bytes (ranges honoured), or NAME.MD5SUM. With AcceleratedDownloads the front (nginx) serves the bytes after this authorised them.");
    }

    private static async Task<Ok<DdiControllerBase>> Poll(
        HttpContext http, DdiCaller caller, ActionStore actions, TargetStore targets, DdiDeployments deployments, IOptions<SoftwareUpdateOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var target = caller.Target;
        await targets.PolledAsync(target.ControllerId, time.GetUtcNow(), cancellationToken);
        var (open, installed) = await actions.CurrentAsync(target.ControllerId, cancellationToken);
        var self = SelfUrl(http);
        var links = new Dictionary<string, DdiLink>(StringComparer.Ordinal);
        var sleep = options.Value.PollingSleep;
        if (open is { Status: ActionStatuses.Canceling })
        {
            links["cancelAction"] = new($"{self}/cancelAction/{open.Id}");
        }
        else if (open is not null)
        {
            links["deploymentBase"] = new($"{self}/deploymentBase/{open.Id}?c={Etag(open, await deployments.WindowStatusAsync(open, cancellationToken))}");
        }
        if (open is not null)
        {
            sleep = await deployments.SleepAsync(open, sleep, options.Value.MinPollingSleep, cancellationToken);
        }
        // As hawkBit: the last successful installation is linked beside an open action too (a target may reinstall it).
        if (installed is not null)
        {
            links["installedBase"] = new($"{self}/installedBase/{installed.Id}");
        }
        if (target.AttributesRequested)
        {
            links["configData"] = new($"{self}/configData");
        }
        return TypedResults.Ok(new DdiControllerBase(new DdiConfig(new DdiPolling(sleep.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture))), links));
    }

    private static async Task<Results<Ok<DdiDeploymentBase>, ProblemHttpResult>> Deployment(
        long actionId, HttpContext http, DdiCaller caller, ActionStore actions, DdiDeployments deployments, TimeProvider time, CancellationToken cancellationToken,
        int actionHistory = 0)
    {
        // A cancellation is offered as cancelAction only (hawkBit answers 404 for its deploymentBase).
        if (await actions.FindAsync(actionId, cancellationToken) is not { } action || action.ControllerId != caller.Target.ControllerId
            || action.Status is ActionStatuses.Canceling or ActionStatuses.Canceled)
        {
            return ApiProblems.NotFound("The action");
        }
        if (action.Status == ActionStatuses.Pending)
        {
            await actions.RecordAsync(action, ActionStatuses.Retrieved, "retrieved", "none", null, [], time.GetUtcNow(), cancellationToken);
        }
        return TypedResults.Ok(await deployments.DescribeAsync(action, SelfUrl(http), actionHistory, cancellationToken));
    }

    private static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> DeploymentFeedback(
        long actionId, DdiActionFeedback feedback, DdiCaller caller, ActionStore actions, TimeProvider time, CancellationToken cancellationToken) =>
        await RecordAsync(actionId, feedback, caller, actions, time, cancel: false, cancellationToken);

    private static async Task<Results<Ok<DdiCancel>, ProblemHttpResult>> CancelAction(
        long actionId, DdiCaller caller, ActionStore actions, CancellationToken cancellationToken) =>
        await actions.FindAsync(actionId, cancellationToken) is { Status: ActionStatuses.Canceling or ActionStatuses.Canceled } action
            && action.ControllerId == caller.Target.ControllerId
            ? TypedResults.Ok(new DdiCancel(action.Id.ToString(CultureInfo.InvariantCulture), new DdiCancelAction(action.Id.ToString(CultureInfo.InvariantCulture))))
            : ApiProblems.NotFound("The cancellation");

    private static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> CancelFeedback(
        long actionId, DdiActionFeedback feedback, DdiCaller caller, ActionStore actions, TimeProvider time, CancellationToken cancellationToken) =>
        await RecordAsync(actionId, feedback, caller, actions, time, cancel: true, cancellationToken);

    private static async Task<Results<Ok, ValidationProblem, ProblemHttpResult>> RecordAsync(
        long actionId, DdiActionFeedback feedback, DdiCaller caller, ActionStore actions, TimeProvider time, bool cancel, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var execution = feedback.Status?.Execution;
        var finished = feedback.Status?.Result?.Finished;
        if (execution is null || !Feedback.Executions.Contains(execution))
        {
            errors.Add("status.execution", $"One of {string.Join(", ", Feedback.Executions)}.");
        }
        if (finished is null || !Feedback.Results.Contains(finished))
        {
            errors.Add("status.result.finished", $"Required (as in hawkBit): one of {string.Join(", ", Feedback.Results)}.");
        }
        IReadOnlyList<string> details = feedback.Status?.Details ?? [];
        if (details.Count > 100 || details.Any(d => d is null || d.Length > 2000))
        {
            errors.Add("status.details", "At most 100 messages of at most 2000 characters.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        if (await actions.FindAsync(actionId, cancellationToken) is not { } action || action.ControllerId != caller.Target.ControllerId)
        {
            return ApiProblems.NotFound("The action");
        }
        if (!action.Active)
        {
            return Gone();
        }
        if (cancel && action.Status != ActionStatuses.Canceling)
        {
            return ApiProblems.Create(StatusCodes.Status405MethodNotAllowed, SoftwareUpdateErrorCodes.ActionNotCancelable, "The action is not being cancelled.");
        }
        if (feedback.Status!.Code is { } code)
        {
            details = [.. details, $"Device reported status code: {code.ToString(CultureInfo.InvariantCulture)}"];
        }
        var status = cancel ? Feedback.OnCancel(execution!, finished!) : Feedback.OnDeployment(execution!, finished!);
        var progress = feedback.Status?.Result?.Progress is { Cnt: { } cnt } p ? $"{cnt}/{p.Of?.ToString(CultureInfo.InvariantCulture) ?? "?"}" : null;
        return await actions.RecordAsync(action, status, execution!, finished!, progress, details, time.GetUtcNow(), cancellationToken) ? TypedResults.Ok() : Gone();
    }

    private static ProblemHttpResult Gone() =>
        ApiProblems.Create(StatusCodes.Status410Gone, SoftwareUpdateErrorCodes.ActionClosed, "The action is closed; it takes no more feedback.");

    private static async Task<Results<Ok<DdiDeploymentBase>, ProblemHttpResult>> InstalledBase(
        long actionId, HttpContext http, DdiCaller caller, ActionStore actions, DdiDeployments deployments, CancellationToken cancellationToken,
        int actionHistory = 0) =>
        await actions.FindAsync(actionId, cancellationToken) is { Status: ActionStatuses.Finished } action && action.ControllerId == caller.Target.ControllerId
            ? TypedResults.Ok(await deployments.DescribeAsync(action, SelfUrl(http), actionHistory, cancellationToken))
            : ApiProblems.NotFound("The installed action");

    private static async Task<Results<Ok, ValidationProblem>> ConfigData(
        DdiConfigData config, DdiCaller caller, TargetStore targets, CancellationToken cancellationToken)
    {
        var mode = config.Mode ?? "merge";
        var errors = new ValidationErrors();
        if (mode is not ("merge" or "replace" or "remove"))
        {
            errors.Add("mode", "merge, replace or remove.");
        }
        if (config.Data is not { Count: > 0 and <= 100 } data || data.Any(a => a.Key.Length is 0 or > 128 || a.Value is null || a.Value.Length > 128))
        {
            errors.Add("data", "1 to 100 attributes (as in hawkBit): names of 1 to 128 characters, values of at most 128.");
        }
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        await targets.SaveAttributesAsync(caller.Target.ControllerId, config.Data!, mode, cancellationToken);
        return TypedResults.Ok();
    }

    /// <summary>The manifest names the car's VIN, or for a device without one its controller id.</summary>
    private static async Task<Results<NoContent, ProblemHttpResult>> Manifest(HttpRequest request, DdiCaller caller, ManifestStore manifests, TimeProvider time, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var document = await reader.ReadToEndAsync(cancellationToken);
        var target = caller.Target;
        return await manifests.ReceiveAsync(target.ControllerId, target.Vin ?? target.ControllerId, document, time.GetUtcNow(), cancellationToken) is { } refusal
            ? ApiProblems.Create(refusal == Pitwall.Protocol.Updates.ManifestRefusals.Invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity,
                refusal, "The vehicle manifest was refused.")
            : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<DdiArtifact>>, ProblemHttpResult>> Artifacts(
        string moduleId, HttpContext http, DdiCaller caller, DdiDeployments deployments, CancellationToken cancellationToken) =>
        await deployments.AssignedModuleAsync(caller.Target.ControllerId, moduleId, cancellationToken) is { } module
            ? TypedResults.Ok<IReadOnlyList<DdiArtifact>>([.. module.Artifacts.Select(a => DdiDeployments.Describe(a, SelfUrl(http)))])
            : ApiProblems.NotFound("The software module");

    private static async Task<IResult> Artifact(
        string moduleId, string fileName, HttpRequest request, DdiCaller caller, DdiDeployments deployments, ArtifactStore files,
        IOptions<SoftwareUpdateOptions> options, CancellationToken cancellationToken)
    {
        var md5 = fileName.EndsWith(".MD5SUM", StringComparison.Ordinal);
        var name = md5 ? fileName[..^".MD5SUM".Length] : fileName;
        var artifact = (await deployments.AssignedModuleAsync(caller.Target.ControllerId, moduleId, cancellationToken))?.Artifacts.FirstOrDefault(a => a.Filename == name);
        return artifact is null ? ApiProblems.NotFound("The artifact") : md5 ? ArtifactFiles.Md5Sum(artifact)
            : ArtifactFiles.Serve(files, artifact, options.Value.AcceleratedDownloads is var front && front.AppliesTo(request) ? front : null);
    }

    /// <summary>The controller's base URL as it called it (links are absolute, as hawkBit's).</summary>
    private static string SelfUrl(HttpContext http) =>
        $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/{http.Request.RouteValues["tenant"]}/controller/v1/{Uri.EscapeDataString(http.Request.RouteValues["controllerId"]?.ToString() ?? "")}";

    /// <summary>The <c>c</c> of a deployment link: changes when the action's handling does (its type, its maintenance window opening or
    /// closing), so that cached answers are not reused.</summary>
    private static string Etag(UpdateAction action, string? window) => Hashing.Sha256Hex($"{action.Id}:{action.Type}:{window}")[..8];
}
