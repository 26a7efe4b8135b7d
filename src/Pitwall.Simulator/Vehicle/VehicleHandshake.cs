using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pitwall.Protocol;

namespace Pitwall.Simulator;

/// <summary>
/// Development-mode login (DESIGN §4): fetch a one-time nonce, then open the WebSocket with the VIN, the nonce
/// and HMAC proof in headers. The secret itself never leaves the car, and none of these values is logged.
/// </summary>
internal static class VehicleHandshake
{
    /// <returns>The challenge (http/https) and WebSocket (ws/wss) addresses under <paramref name="server"/>.</returns>
    public static (Uri Challenge, Uri WebSocket) Endpoints(Uri server)
    {
        var secure = server.Scheme is "https" or "wss";
        var builder = new UriBuilder(server) { Scheme = secure ? "https" : "http", Query = "", Fragment = "" };
        if (server.IsDefaultPort)
        {
            builder.Port = -1;
        }
        var basePath = builder.Path.TrimEnd('/');
        builder.Path = basePath + EnvelopeCodec.ChallengePath;
        var challenge = builder.Uri;
        builder.Scheme = secure ? "wss" : "ws";
        builder.Path = basePath + EnvelopeCodec.WebSocketPath;
        return (challenge, builder.Uri);
    }

    public static async Task<string> RequestNonceAsync(HttpMessageInvoker http, Uri challenge, string vin, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, challenge)
        {
            Content = JsonContent.Create(new ChallengeRequest(vin), HandshakeJson.Default.ChallengeRequest),
        };
        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new VehicleConnectionException($"The challenge was refused with HTTP {(int)response.StatusCode}.", response.StatusCode);
        }
        var body = await response.Content.ReadFromJsonAsync(HandshakeJson.Default.ChallengeResponse, cancellationToken);
        return body?.Nonce is { Length: > 0 } nonce
            ? nonce
            : throw new VehicleConnectionException("The challenge answer had no nonce.", response.StatusCode);
    }

    public static async Task<ClientWebSocket> OpenAsync(
        HttpMessageInvoker http, Uri webSocket, string vin, string nonce, ReadOnlyMemory<byte> secret, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader(VehicleAuth.VinHeader, vin);
        socket.Options.SetRequestHeader(VehicleAuth.NonceHeader, nonce);
        socket.Options.SetRequestHeader(VehicleAuth.ProofHeader, VehicleAuth.Proof(secret.Span, vin, nonce));
        // The server pings (Welcome.keep_alive_seconds) and the socket answers; client pings would only add traffic.
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        socket.Options.CollectHttpResponseDetails = true;
        try
        {
            await socket.ConnectAsync(webSocket, http, cancellationToken);
            return socket;
        }
        catch (WebSocketException e)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw status == default
                ? new VehicleConnectionException("The WebSocket connection failed.", null, null, e)
                : new VehicleConnectionException($"The WebSocket upgrade was refused with HTTP {(int)status}.", status, null, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

internal sealed record ChallengeRequest(string Vin);

internal sealed record ChallengeResponse(string? Nonce, DateTimeOffset? ExpiresAt);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ChallengeRequest))]
[JsonSerializable(typeof(ChallengeResponse))]
internal sealed partial class HandshakeJson : JsonSerializerContext;
