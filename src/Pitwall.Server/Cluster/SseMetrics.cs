using System.Diagnostics.Metrics;
using Pitwall.Server.Hosting.Telemetry;

namespace Pitwall.Server.Cluster;

/// <summary>Open live-event streams on this instance, by route (owners' events, the portal's, the SOC's, the assistance centre's).</summary>
internal sealed class SseMetrics(IMeterFactory meters)
{
    private readonly UpDownCounter<int> _subscribers = meters.Create(PitwallTelemetry.Name).CreateUpDownCounter<int>(
        "pitwall.sse.subscribers", "{stream}", "Server-Sent Events streams open on this instance");

    public IDisposable Subscribed(HttpContext context)
    {
        // The route's template, never the path: a path can hold a VIN.
        var route = new KeyValuePair<string, object?>("http.route", (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "");
        _subscribers.Add(1, route);
        return new Unsubscribe(_subscribers, route);
    }

    private sealed class Unsubscribe(UpDownCounter<int> subscribers, KeyValuePair<string, object?> route) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                subscribers.Add(-1, route);
            }
        }
    }
}
