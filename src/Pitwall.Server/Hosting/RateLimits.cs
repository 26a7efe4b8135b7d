using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Hosting;

public static class RateLimits
{
    /// <summary>The policy on sign-in and registration: a fixed window per client address.</summary>
    public const string Authentication = "authentication";

    /// <summary>Paths (prefixes) that a feature's middleware answers before routing and authorization run — an OAuth provider's
    /// token, revocation and introspection endpoints check client secrets and tokens in the authentication step — so that the
    /// <see cref="Authentication"/> limit applies to them before that work, not after. Features add theirs.</summary>
    public sealed class EarlyPaths
    {
        public List<PathString> Prefixes { get; } = [];
    }

    internal static IServiceCollection AddPitwallRateLimits(this IServiceCollection services)
    {
        services.AddOptions<EarlyPaths>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HostingOptions>>((limiter, hosting) =>
        {
            limiter.AddPolicy(Authentication, context => PerClient(context, hosting.Value));
            Reject(limiter);
        });
        services.AddRateLimiter(_ => { });
        return services;
    }

    /// <summary>Before authentication: the <see cref="Authentication"/> limit on the <see cref="EarlyPaths"/>, in a limiter of its own.</summary>
    internal static IApplicationBuilder UseEarlyRateLimits(this IApplicationBuilder app)
    {
        var prefixes = app.ApplicationServices.GetRequiredService<IOptions<EarlyPaths>>().Value.Prefixes;
        var hosting = app.ApplicationServices.GetRequiredService<IOptions<HostingOptions>>().Value;
        var limiter = new RateLimiterOptions
        {
            GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                prefixes.Any(p => context.Request.Path.StartsWithSegments(p)) ? PerClient(context, hosting) : RateLimitPartition.GetNoLimiter("")),
        };
        Reject(limiter);
        return app.UseRateLimiter(limiter);
    }

    private static RateLimitPartition<string> PerClient(HttpContext context, HostingOptions hosting) => RateLimitPartition.GetFixedWindowLimiter(
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = hosting.AuthRequestsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    private static void Reject(RateLimiterOptions limiter)
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter =
                    ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            }
            var problems = context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context.HttpContext,
                ProblemDetails = ApiProblems.Details(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many requests; try again later."),
            });
        };
    }
}
