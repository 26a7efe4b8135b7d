using System.Data.Common;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Pitwall.Server.Gateway;

/// <summary>
/// The vehicle link below Kestrel's HTTP layer. A car stays connected for days, idle most of the time, and an upgraded
/// HTTP/1.1 request keeps Kestrel's whole request alive with it (connection, headers, context, features: about 8 KB
/// per car, bench/README.md §2). So a connection whose first request is a well-formed WebSocket upgrade of
/// <c>/vehicle/v1</c> from a car that authenticates is answered here, as a Kestrel connection middleware, and keeps
/// only its socket, the WebSocket and the session. Everything else — other requests, a link request this does not
/// recognise exactly, a car that fails authentication, TLS (whose bytes arrive before Kestrel decrypts them) — goes on
/// to Kestrel untouched and is answered by <see cref="VehicleLinkEndpoint"/> as before.
/// </summary>
internal sealed partial class VehicleLinkConnections(
    VehicleAuthenticator authenticator, GatewayServices services, IHostApplicationLifetime lifetime, TimeSpan headTimeout)
{
    // Unwrapped rather than awaited: once the handshake is done, nothing of it stays alive beside the session's own
    // state for the days a car may stay connected.
    public Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next) => HandshakeAsync(connection, next).Unwrap();

    /// <returns>What serves the connection from here: the car's session, or Kestrel's HTTP layer.</returns>
    private async Task<Task> HandshakeAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var input = connection.Transport.Input;
        var (kind, upgrade, headLength) = await ReadHeadAsync(input);
        var vin = kind == LinkHeadKind.Upgrade ? await AuthenticateAsync(connection, upgrade!) : null;
        if (vin is null || !input.TryRead(out var buffered))
        {
            return next(connection); // nothing was consumed: Kestrel reads the request from its first byte
        }
        input.AdvanceTo(buffered.Buffer.GetPosition(headLength));
        await connection.Transport.Output.WriteAsync(SwitchingProtocols(upgrade!.Key));
        var options = services.Options;
        WebSocket? socket = null;
        // An aborted WebSocket ends the connection at once; a closed one lets Kestrel send what is still queued, then close.
        var stream = new DuplexPipeStream(connection.Transport, () =>
        {
            if (socket?.State == WebSocketState.Aborted)
            {
                connection.Abort();
            }
        });
        socket = WebSocket.CreateFromStream(stream, new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = options.KeepAliveInterval,
            KeepAliveTimeout = options.KeepAliveTimeout,
        });
        return new VehicleSession(vin, socket, services).RunAsync(lifetime.ApplicationStopping); // the session disposes its socket
    }

    // Peeks at the first bytes without consuming them. A client that sends nothing within the request-headers timeout is
    // handed to Kestrel, whose own timeouts then apply as to any other connection.
    private async Task<(LinkHeadKind, LinkUpgrade?, long)> ReadHeadAsync(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(headTimeout);
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var kind = LinkUpgradeRequest.Read(result.Buffer, out var upgrade, out var headLength);
                if (kind != LinkHeadKind.NeedMore || result.IsCompleted)
                {
                    input.AdvanceTo(result.Buffer.Start); // nothing consumed, nothing examined: the next read sees it all
                    return (kind == LinkHeadKind.NeedMore ? LinkHeadKind.Other : kind, upgrade, headLength);
                }
                input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            }
        }
        catch (OperationCanceledException)
        {
            return (LinkHeadKind.Other, null, 0);
        }
        catch (ConnectionResetException)
        {
            return (LinkHeadKind.Other, null, 0); // e.g. a load balancer's health check, closed with a reset: Kestrel sees it end
        }
    }

    private async Task<string?> AuthenticateAsync(ConnectionContext connection, LinkUpgrade upgrade)
    {
        try
        {
            var certificate = connection.Features.Get<ITlsConnectionFeature>()?.ClientCertificate;
            return await authenticator.AuthenticateAsync(certificate, upgrade.Credentials, lifetime.ApplicationStopping);
        }
        catch (Exception e) when (e is DbException or TimeoutException or OperationCanceledException)
        {
            LogAuthenticationFailed(services.Logger, e);
            return null; // Kestrel's path answers it (and fails the same way, as a problem)
        }
    }

    private static byte[] SwitchingProtocols(string key) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Accept: {LinkUpgradeRequest.AcceptFor(key)}\r\n\r\n");

    [LoggerMessage(Level = LogLevel.Warning, Message = "A car's link could not be authenticated below the HTTP layer; Kestrel's path answers it")]
    private static partial void LogAuthenticationFailed(ILogger logger, Exception exception);
}
