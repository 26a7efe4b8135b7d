using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;

namespace Pitwall.Server.Hosting;

internal static class ProblemDetailsSetup
{
    public static IServiceCollection AddPitwallProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            var status = problem.Status ?? context.HttpContext.Response.StatusCode;
            if (!problem.Extensions.ContainsKey("code"))
            {
                var code = ErrorCodes.ForStatus(status);
                problem.Extensions["code"] = code;
                problem.Type = ApiProblems.TypeFor(code);
            }
            // Exceptions are bugs: the client learns that one happened, never what it said.
            problem.Extensions.Remove("exception");
            // The W3C trace id: the same in every log line of this request and in the caller's traceparent.
            problem.Extensions["traceId"] = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<BadRequestExceptionHandler>();
        // Unreadable bodies throw instead of answering a bare 400, so that they get a problem body with a code.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }
}

/// <summary>Maps what the framework throws for unreadable requests (bad JSON, oversize body, missing body) to 4xx problems.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }
        var status = bad.StatusCode;
        var code = status == StatusCodes.Status400BadRequest && bad.InnerException is JsonException
            ? ErrorCodes.InvalidJson
            : ErrorCodes.ForStatus(status);
        var title = code switch
        {
            ErrorCodes.InvalidJson => "The request body is not valid JSON for this operation.",
            ErrorCodes.PayloadTooLarge => "The request body is too large.",
            ErrorCodes.UnsupportedMediaType => "The request body has an unsupported media type.",
            _ => "The request could not be read.",
        };
        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = ApiProblems.Details(status, code, title),
        });
    }
}
