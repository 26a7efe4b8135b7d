using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>One request as a peer received it.</summary>
public sealed record ReceivedRequest(string Method, string Path, string Protocol, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string Header(string name) => Headers.TryGetValue(name, out var value) ? value : "";
}

/// <summary>
/// A real HTTP server on 127.0.0.1 (Kestrel) standing in for a provider: it records every request and answers with
/// the test's handler. HTTP/1.1, or HTTP/2 only (cleartext, prior knowledge) for APNs.
/// </summary>
public sealed class LoopbackPeer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LoopbackPeer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    /// <summary>Completes when the peer is disposed; a handler awaits it to never answer (a hanging provider).</summary>
    public Task Hang => _released.Task;

    public string Url(string path) => new Uri(BaseUrl, path).ToString();

    public static async Task<LoopbackPeer> StartAsync(Func<LoopbackPeer, HttpContext, ReceivedRequest, Task> handle, HttpProtocols protocols = HttpProtocols.Http1)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = protocols));
        var app = builder.Build();
        LoopbackPeer? peer = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            var request = new ReceivedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Protocol,
                context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()), body);
            peer!.Requests.Enqueue(request);
            await handle(peer, context, request);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        peer = new LoopbackPeer(app, new Uri(address.TrimEnd('/') + "/"));
        return peer;
    }

    public async ValueTask DisposeAsync()
    {
        _released.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
