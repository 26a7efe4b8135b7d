using System.Diagnostics;

namespace Pitwall.Server.Hosting.Telemetry;

/// <summary>
/// Gives an API or portal request a W3C trace id when no tracer made it an activity (tracing off, the default): the caller's
/// from its <c>traceparent</c>, else a new one. Problems (<c>traceId</c>) and log lines carry it. ASP.NET Core's own request
/// activity stays off (its per-request log is disabled, see the operator guide), because a car's link would keep one for
/// as long as the car is connected; the vehicle link is answered before this middleware, so it never gets one.
/// </summary>
internal static class RequestTraceIds
{
    public static IApplicationBuilder UseRequestTraceIds(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (Activity.Current is not null)
        {
            await next(context);
            return;
        }
        using var activity = new Activity("Pitwall.Request");
        activity.SetIdFormat(ActivityIdFormat.W3C);
        var headers = context.Request.Headers;
        if (ActivityContext.TryParse(headers.TraceParent, headers.TraceState, isRemote: true, out var caller))
        {
            activity.SetParentId(caller.TraceId, caller.SpanId, caller.TraceFlags);
        }
        activity.Start();
        await next(context);
    });
}
