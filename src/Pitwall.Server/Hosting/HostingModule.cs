using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pitwall.Server.Hosting.Auth;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Hosting;

/// <summary>What every feature stands on: problem details, auth, rate limits, health, OpenAPI, logging, limits.</summary>
public static class HostingModule
{
    public const string DefaultUrl = "http://localhost:5080";

    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.Section).ValidateDataAnnotations()
            .Validate(o => o.TrustedProxies.All(TrustedProxies.IsAddressOrNetwork), $"{HostingOptions.Section}:TrustedProxies takes IP addresses and CIDR networks.")
            .ValidateOnStart();
        builder.Services.AddTrustedProxies();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Logging.ClearProviders();
        // Structured JSON lines with their trace id; messages carry ids and counts only, never payloads or personal data (DESIGN §3.10).
        builder.AddPitwallTelemetry();
        if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey]))
        {
            // The default address; --urls, URLS or ASPNETCORE_URLS choose another.
            builder.WebHost.UseUrls(DefaultUrl);
        }
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize =
                context.Configuration.GetSection(HostingOptions.Section).Get<HostingOptions>()?.MaxRequestBodyBytes
                ?? new HostingOptions().MaxRequestBodyBytes;
        });
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.AddPitwallProblemDetails();
        builder.Services.AddPitwallAuth();
        builder.Services.AddPitwallRateLimits();
        builder.Services.AddPitwallOpenApi();
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary>Outermost: exceptions and bare status codes become problem details. Then <c>UseWeb</c>, then <see cref="UseAccessControl"/>.</summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        app.UseRequestTraceIds();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePitwallMetrics();
        return app;
    }

    /// <summary>The rate limit of what authentication itself answers (<see cref="RateLimits.EarlyPaths"/>), routing, then
    /// authentication, authorization and rate limits, which need the chosen endpoint. Routing is
    /// explicit so that error pages re-executed by the portal are routed again.</summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        app.UseEarlyRateLimits(); // before routing: it knows no endpoint, so only its own limit applies
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        return app;
    }

    public static WebApplication MapHosting(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).ExcludeFromDescription();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).ExcludeFromDescription();
        app.MapOpenApi(OpenApiSetup.DocumentPath);
        // Only requests under its path see the Swagger UI's middleware: it tests every path against its regular expressions.
        app.UseWhen(context => context.Request.Path.StartsWithSegments("/" + OpenApiSetup.BrowserPath), docs => docs.UseSwaggerUI(o =>
        {
            o.RoutePrefix = OpenApiSetup.BrowserPath;
            o.DocumentTitle = "Pitwall API";
            o.SwaggerEndpoint(OpenApiSetup.DocumentPath, "Pitwall API v1");
        }));
        return app;
    }
}
