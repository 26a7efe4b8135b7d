using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

/// <summary>The published data-category register and the retention job that enforces it.</summary>
public static class PrivacyModule
{
    public static WebApplicationBuilder AddPrivacy(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section)
            .Validate(o => o.Interval >= TimeSpan.FromSeconds(1), "Pitwall:Retention:Interval must be at least a second.").ValidateOnStart();
        builder.Services.AddSingleton<RetentionSweeper>();
        builder.Services.AddHostedService<RetentionJob>();
        return builder;
    }

    public static WebApplication MapPrivacy(this WebApplication app)
    {
        var privacy = app.MapGroup("/api/v1/privacy").WithTags("Privacy");
        // Public, like a privacy notice: anyone may read what is kept, why and for how long.
        privacy.MapGet("/data-categories", ListCategories).AllowAnonymous()
            .WithSummary("Every category of stored data: purpose, legal basis, retention, processors.");
        privacy.MapGet("/data-categories/{id}", GetCategory).AllowAnonymous().WithSummary("One data category.");
        return app;
    }

    private static Ok<List<DataCategoryResponse>> ListCategories(DataCategoryRegister register) =>
        TypedResults.Ok(register.All.Select(DataCategoryResponse.From).ToList());

    private static Results<Ok<DataCategoryResponse>, ProblemHttpResult> GetCategory(string id, DataCategoryRegister register) =>
        register.Find(id) is { } category
            ? TypedResults.Ok(DataCategoryResponse.From(category))
            : Hosting.ApiProblems.NotFound("The data category");
}
