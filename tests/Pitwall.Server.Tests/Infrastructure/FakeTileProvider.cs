using Microsoft.AspNetCore.Http;
using Pitwall.Server.Tests.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// A map tile server on loopback (Kestrel) that records every request with its headers. The zoom level chooses the
/// answer, so tests need no shared switches: 18 fails (500), 17 never answers, 16 has no such tile (404), 15 forbids
/// caching (no-store), 14 allows a minute (max-age=60); every other zoom is a PNG fresh for a day.
/// </summary>
public sealed class FakeTileProvider : IAsyncDisposable
{
    /// <summary>A 1×1 PNG; Leaflet stretches it over the tile.</summary>
    public static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private FakeTileProvider(LoopbackPeer peer) => Peer = peer;

    public LoopbackPeer Peer { get; }

    /// <summary>The requests for tiles, oldest first.</summary>
    public IReadOnlyList<ReceivedRequest> Requests => [.. Peer.Requests];

    /// <summary><c>Pitwall:Portal:TileUrl</c> for this provider.</summary>
    public string TileUrl => Peer.BaseUrl + "{z}/{x}/{y}.png";

    public static async Task<FakeTileProvider> StartAsync() => new(await LoopbackPeer.StartAsync(AnswerAsync));

    private static async Task AnswerAsync(LoopbackPeer peer, HttpContext context, ReceivedRequest request)
    {
        var zoom = request.Path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        switch (zoom)
        {
            case "18":
                context.Response.StatusCode = 500;
                return;
            case "17":
                await peer.Hang.WaitAsync(context.RequestAborted);
                return;
            case "16":
                context.Response.StatusCode = 404;
                return;
            case "15":
                context.Response.Headers.CacheControl = "no-store";
                break;
            case "14":
                context.Response.Headers.CacheControl = "public, max-age=60";
                break;
            default:
                context.Response.Headers.CacheControl = "public, max-age=86400";
                break;
        }
        context.Response.ContentType = "image/png";
        await context.Response.Body.WriteAsync(Png, context.RequestAborted);
    }

    public ValueTask DisposeAsync() => Peer.DisposeAsync();
}
