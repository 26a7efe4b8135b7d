using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Security.Claims;
using Pitwall.Server.Cluster;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.LiveEvents;

/// <summary><c>/api/v1/events</c>: Server-Sent Events about the signed-in account's vehicles (DESIGN §5).</summary>
public static class LiveEventsModule
{
    public static WebApplicationBuilder AddLiveEvents(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<LiveEventHub>();
        return builder;
    }

    public static WebApplication MapLiveEvents(this WebApplication app)
    {
        app.MapGet("/api/v1/events", Stream).RequireAuthorization(Scopes.ReadVehicle).WithTags("Live events")
            .WithSummary("Server-Sent Events: vehicle.status, vehicle.connection, vehicle.privacy, vehicle.paired, vehicle.unpaired, vehicle.access_granted, vehicle.access_revoked.");
        return app;
    }

    internal static SseStream Stream(HttpContext context, ClaimsPrincipal user, LiveEventHub hub, IVehicleAccess access, CancellationToken cancellationToken) =>
        new SseStream(EventsAsync(user.AccountIdOf(), SseStream.LastEventId(context), hub, access, cancellationToken));

    private static async IAsyncEnumerable<SseItem<object>> EventsAsync(
        string accountId, string? lastEventId, LiveEventHub hub, IVehicleAccess access, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var subscription = hub.Subscribe(accountId, await access.VinsOfAsync(accountId, cancellationToken), lastEventId);
        // Tells the client the stream is live, so it can fetch current state without missing a change (what it missed since
        // its Last-Event-ID follows, when still kept).
        yield return new SseItem<object>(new { }, "ready");
        await foreach (var liveEvent in subscription.ReadAllAsync(cancellationToken))
        {
            if (liveEvent.Type is "vehicle.paired" or "vehicle.unpaired" or "vehicle.access_granted" or "vehicle.access_revoked")
            {
                // This account's set of vehicles changed: follow exactly the ones it may see now.
                subscription.Follow(await access.VinsOfAsync(accountId, cancellationToken));
            }
            yield return new SseItem<object>(liveEvent.Data, liveEvent.Type) { EventId = liveEvent.EventId };
        }
    }
}
