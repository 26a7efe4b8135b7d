using System.Globalization;
using Pitwall.Server.Data;

namespace Pitwall.Server.Hosting;

/// <summary>
/// A rate limit on an endpoint that holds over the whole cluster (<see cref="RateLimitWindows"/>): a request over the limit
/// gets 429 <c>rate_limited</c> with <c>Retry-After</c>, before the endpoint's other filters run.
/// </summary>
public static class SharedRateLimits
{
    /// <param name="policy">The limit's name (counters of different policies never mix).</param>
    /// <param name="partition">Whose requests count together, e.g. the account, or the account and the car.</param>
    /// <param name="limit">Requests per window, read per request (from options).</param>
    public static TBuilder RequireSharedRateLimit<TBuilder>(
        this TBuilder builder, string policy, Func<HttpContext, string> partition, Func<HttpContext, int> limit, TimeSpan window)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (allowed, ends) = await http.RequestServices.GetRequiredService<RateLimitWindows>()
                .TakeAsync(policy, partition(http), limit(http), window, http.RequestAborted);
            if (allowed)
            {
                return await next(context);
            }
            var wait = ends - http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return ApiProblems.Create(StatusCodes.Status429TooManyRequests, ErrorCodes.RateLimited, "Too many requests; try again later.");
        });
        builder.WithMetadata(new ProducesResponseTypeMetadata(
            StatusCodes.Status429TooManyRequests, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        return builder;
    }
}
