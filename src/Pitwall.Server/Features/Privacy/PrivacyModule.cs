using Microsoft.AspNetCore.Http.HttpResults;
using System.Security.Claims;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Privacy;

/// <summary>The published data-category register, the retention job that enforces it, consents, export, erasure, the access log,
/// and the processor gateway every outbound call to a processor passes (with the portal's map-tile proxy).</summary>
public static class PrivacyModule
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<PrivacyText>();
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1), "Pitwall:Retention:Interval must be at least a second.").ValidateOnStart();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService<RetentionJob>();
        builder.Services.AddSingleton<DataExport>();
        builder.Services.AddSingleton<AccountErasure>();
        builder.Services.AddSingleton<Consents>();
        builder.Services.AddSingleton<Vehicles.IVehicleAccessListener>(sp => sp.GetRequiredService<Consents>());
        builder.Services.AddSingleton<IServiceAccess, ServiceAccess>();
        builder.Services.AddOptions<AccessLogOptions>().BindConfiguration(AccessLogOptions.Section)
            .Validate(o => o.QueueLength >= 1 && o.BatchSize >= 1, "Pitwall:AccessLog:QueueLength and BatchSize must be positive.").ValidateOnStart();
        builder.Services.AddSingleton<AccessLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AccessLog>());
        builder.Services.AddProcessorGateway();
        builder.AddMapTileProxy();
        builder.Services.AddDataCategory(new DataCategory(
            "access_log", "API and portal access log",
            "Detect and investigate attacks on accounts and on the platform (REQUIREMENTS H6): for each API and portal request the " +
            "client's IP address, the method, the route template (never the path with its VINs or ids), the status, the duration " +
            "and the signed-in account. When an account is erased its entries lose the account and expire with the rest.",
            LegalBasis.LegitimateInterest, Retention.Days(30), true,
            [new("access_log", "occurred_at") { AccountRows = "account_id = @accountId", PartitionedByDay = true }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "consents", "Consents",
            "Record, for purposes whose legal basis is consent, who agreed to what and when, and the withdrawal — the proof the law asks for. A consent given for a car is withdrawn when the person's access to the car ends (unpairing, removal as a driver, account erasure).",
            LegalBasis.LegalObligation, Retention.UntilAccountDeletion, true,
            [new("consents") { AccountRows = "account_id = @accountId" }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "retention_runs", "Retention runs",
            "Show that retention is enforced: when each run happened and how many rows of each category it removed (no content).",
            LegalBasis.LegalObligation, Retention.Months(12), false, [new("retention_runs", "finished_at")], []));
        return builder;
    }

    /// <summary>First in the pipeline: the access log, so that it sees every response, the exception handler's included.</summary>
    public static WebApplication UsePrivacy(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AccessLogOptions>>().Value.Enabled)
        {
            app.UseMiddleware<AccessLogMiddleware>();
        }
        return app;
    }

    public static WebApplication MapPrivacy(this WebApplication app)
    {
        var privacy = app.MapGroup("/api/v1/privacy").WithTags("Privacy");
        // Public, like a privacy notice: anyone may read what is kept, why and for how long.
        privacy.MapGet("/data-categories", ListCategories).AllowAnonymous()
            .WithSummary("Every category of stored data: purpose, legal basis, retention, processors.");
        privacy.MapGet("/data-categories/{id}", GetCategory).AllowAnonymous().WithSummary("One data category.");
        app.MapGet("/api/v1/me/data-export", Export).RequireAuthorization(Scopes.ReadPrivacy).WithTags("Privacy")
            .WithSummary("Everything stored about the account and the vehicles it uses: a ZIP with one JSON file per data category and a summary.")
            .Produces(StatusCodes.Status200OK, contentType: "application/zip");
        app.MapGet("/api/v1/admin/processor-gateway", (ProcessorGateway gateway) => TypedResults.Ok(gateway.Stripped()))
            .RequireAuthorization(Scopes.ReadAdmin).WithTags("Administration")
            .WithSummary("What the processor gateway stripped from outbound calls since this instance started, per processor, element and kind (P4).");
        app.MapGet("/api/v1/admin/retention-runs", Runs).RequireAuthorization(Scopes.ReadAdmin).WithTags("Administration")
            .WithSummary("The latest retention runs and what each removed, per data category (counts only).");
        var consents = app.MapGroup("/api/v1/me/consents").WithTags("Privacy");
        consents.MapGet("/", ListConsents).RequireAuthorization(Scopes.ReadPrivacy).WithSummary("The account's consents, given and withdrawn.");
        consents.MapPost("/", Grant).RequireAuthorization(Scopes.ControlPrivacy)
            .WithSummary("Give consent for one purpose and scope (e.g. sharing one breakdown's data) for one of your cars.");
        consents.MapPost("/{id}/withdraw", Withdraw).RequireAuthorization(Scopes.ControlPrivacy).WithSummary("Withdraw a consent; the record stays.");
        app.MapMapTiles();
        app.MapDelete("/api/v1/me", Erase).RequireAuthorization(Scopes.ControlAccount).WithTags("Privacy")
            .WithSummary("Erase the account now, with everything no legal obligation keeps; the account's cars are unpaired. Needs the password.");
        return app;
    }

    private static async Task<FileContentHttpResult> Export(ClaimsPrincipal user, DataExport export, TimeProvider time, CancellationToken cancellationToken)
    {
        var archive = await export.CreateAsync(user.AccountIdOf(), cancellationToken);
        return TypedResults.File(archive, "application/zip", $"pitwall-data-{time.GetUtcNow():yyyyMMdd}.zip");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Erase(
        [Microsoft.AspNetCore.Mvc.FromBody] EraseAccountRequest request, ClaimsPrincipal user, IAccountDirectory accounts, SignInService signIn, AccountErasure erasure,
        CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(user.AccountIdOf(), cancellationToken) is not { } account)
        {
            return Hosting.ApiProblems.NotFound("The account");
        }
        // A stolen token alone must not be enough to wipe an account.
        if (request.CurrentPassword is null || !signIn.VerifyPassword(account, request.CurrentPassword))
        {
            return Hosting.ApiProblems.Create(StatusCodes.Status400BadRequest, AccountErrorCodes.WrongPassword, "Erasing the account needs its current password.");
        }
        await erasure.EraseAsync(account, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<IReadOnlyList<RetentionRunResponse>>> Runs(int? limit, RetentionSweeper sweeper, CancellationToken cancellationToken) =>
        TypedResults.Ok(await sweeper.RunsAsync(Math.Clamp(limit ?? 50, 1, 500), cancellationToken));

    private static async Task<Ok<IReadOnlyList<ConsentRecord>>> ListConsents(ClaimsPrincipal user, Consents consents, CancellationToken cancellationToken) =>
        TypedResults.Ok(await consents.ListAsync(user.AccountIdOf(), cancellationToken));

    private static async Task<Results<Created<ConsentRecord>, ValidationProblem, ProblemHttpResult>> Grant(
        GrantConsentRequest request, ClaimsPrincipal user, Vehicles.IVehicleAccess access, Consents consents, CancellationToken cancellationToken)
    {
        var channel = request.Channel ?? "app";
        var errors = new Hosting.ValidationErrors();
        Consents.Validate(request.Purpose, request.Scope, channel, errors);
        if (errors.Any)
        {
            return Hosting.ApiProblems.Validation(errors);
        }
        var vin = Protocol.Vin.Normalize(request.Vin ?? "");
        if (await access.RoleOfAsync(user.AccountIdOf(), vin, cancellationToken) is null)
        {
            return Hosting.ApiProblems.Problem(Hosting.Refusal.VehicleNotFound);
        }
        var consent = await consents.GrantAsync(user.AccountIdOf(), vin, request.Purpose!, request.Scope!, channel, cancellationToken);
        return TypedResults.Created($"/api/v1/me/consents/{consent.Id}", consent);
    }

    private static async Task<Results<Ok<ConsentRecord>, ProblemHttpResult>> Withdraw(
        string id, ClaimsPrincipal user, Consents consents, CancellationToken cancellationToken) =>
        await consents.WithdrawAsync(user.AccountIdOf(), id, cancellationToken) is { } consent
            ? TypedResults.Ok(consent)
            : Hosting.ApiProblems.NotFound("The consent");

    private static Ok<List<DataCategoryResponse>> ListCategories(DataCategoryRegister register) =>
        TypedResults.Ok(register.All.Select(DataCategoryResponse.From).ToList());

    private static Results<Ok<DataCategoryResponse>, ProblemHttpResult> GetCategory(string id, DataCategoryRegister register) =>
        register.Find(id) is { } category
            ? TypedResults.Ok(DataCategoryResponse.From(category))
            : Hosting.ApiProblems.NotFound("The data category");
}

internal sealed record EraseAccountRequest(string? CurrentPassword);
