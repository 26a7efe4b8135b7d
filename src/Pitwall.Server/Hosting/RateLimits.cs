using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Hosting;

public static class RateLimits
{
    /// <summary>The policy on sign-in and registration: a fixed window per client address.</summary>
    public const string Authentication = "authentication";

    internal static IServiceCollection AddPitwallRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<HostingOptions>>((limiter, hosting) =>
        {
            var perMinute = hosting.Value.AuthRequestsPerMinute;
            limiter.AddPolicy(Authentication, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
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
        });
        services.AddRateLimiter(_ => { });
        return services;
    }
}
