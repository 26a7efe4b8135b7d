using Pitwall.Protocol;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Gateway;

/// <summary>
/// The WebSocket endpoint of the vehicle link (<c>/vehicle/v1</c>), taken off the HTTP pipeline: it is branched off before
/// any other middleware, because an upgraded request lives as long as its car stays connected and every middleware it
/// passed (exception handler, status pages, localisation, authentication, authorization, rate limiter, access log, …)
/// would keep its state alive with it, per idle car (bench/README.md §2). The car is authenticated here, before the
/// upgrade, as before; nothing of the API's authentication applies to this path anyway.
/// </summary>
internal static class VehicleLinkEndpoint
{
    public static void UseVehicleLink(this IApplicationBuilder app)
    {
        // Resolved at the first car, not while the pipeline is built (options are validated when the host starts).
        var services = app.ApplicationServices;
        services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(services.GetRequiredService<SessionRegistry>().StopAll);
        Dependencies? link = null;
        app.MapWhen(context => IsLinkPath(context.Request.Path), branch =>
        {
            branch.UseWebSockets();
            branch.Run(context => ConnectAsync(context, link ??= new Dependencies(
                services.GetRequiredService<VehicleAuthenticator>(), services.GetRequiredService<GatewayServices>(),
                services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping)));
        });
    }

    /// <summary><c>/vehicle/v1</c> itself (with or without a trailing slash, any case, as routing matched it), not the challenge below it.</summary>
    internal static bool IsLinkPath(PathString path) =>
        path.StartsWithSegments(EnvelopeCodec.WebSocketPath, StringComparison.OrdinalIgnoreCase, out var rest) && (!rest.HasValue || rest.Value == "/");

    private static async Task ConnectAsync(HttpContext context, Dependencies link)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.WebSocketRequired, "This endpoint speaks WebSocket only.").ExecuteAsync(context);
            return;
        }
        // Authentication happens before the upgrade: an unknown car never gets a socket. (RequestAborted is not touched:
        // Kestrel would make a token source for it that lives as long as the connection.)
        var vin = await link.Authenticator.AuthenticateAsync(context, link.Stopping);
        if (vin is null)
        {
            await ApiProblems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.VehicleAuthFailed, "The vehicle could not be authenticated.").ExecuteAsync(context);
            return;
        }
        var options = link.Services.Options;
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        await new VehicleSession(vin, socket, link.Services).RunAsync(link.Stopping); // the session disposes its socket
    }

    private sealed record Dependencies(VehicleAuthenticator Authenticator, GatewayServices Services, CancellationToken Stopping);
}
