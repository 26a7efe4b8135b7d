using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.UsageStatistics;

/// <summary>Anonymised usage statistics (C8) and the administrators' report.</summary>
public static class UsageStatisticsModule
{
    public static WebApplicationBuilder AddUsageStatistics(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<UsageStatistics>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<UsageStatistics>());
        builder.Services.AddDataCategory(new DataCategory(
            "usage_statistics", "Anonymised usage statistics",
            "Improve the services: how often each service is used per day and channel (car, app, web); no VIN, no account (C8).",
            LegalBasis.LegitimateInterest, Retention.Months(12), false, [new("usage_statistics", "day_start")], []));
        return builder;
    }

    public static WebApplication MapUsageStatistics(this WebApplication app)
    {
        app.MapGet("/api/v1/admin/usage-statistics", Report).RequireAuthorization(Scopes.ReadAdmin).WithTags("Administration")
            .WithSummary("Service use per day and channel, anonymous (from/to: yyyy-MM-dd, at most 366 days).");
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<UsageRow>>, ValidationProblem>> Report(
        string? from, string? to, UsageStatistics statistics, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var (start, end) = ReportRange.Parse(from, to, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), errors);
        if (errors.Any)
        {
            return ApiProblems.Validation(errors);
        }
        await statistics.FlushAsync(cancellationToken);
        return TypedResults.Ok(await statistics.ReportAsync(start, end, cancellationToken));
    }
}

/// <summary>The days a usage report covers, as the API and the admin page take them: yyyy-MM-dd, the last 30 days by
/// default, at most 366 days.</summary>
public static class ReportRange
{
    public const int MaxDays = 366;

    public static (DateOnly From, DateOnly To) Parse(string? from, string? to, DateOnly today, ValidationErrors errors)
    {
        var start = Day(from, today.AddDays(-30), "from", errors);
        var end = Day(to, today, "to", errors);
        if (!errors.Any && (end < start || end.DayNumber - start.DayNumber > MaxDays))
        {
            errors.Add("to", "to is on or after from, at most 366 days later.");
        }
        return (start, end);
    }

    private static DateOnly Day(string? text, DateOnly fallback, string field, ValidationErrors errors)
    {
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }
        errors.Add(field, "A date is yyyy-MM-dd.");
        return fallback;
    }
}
