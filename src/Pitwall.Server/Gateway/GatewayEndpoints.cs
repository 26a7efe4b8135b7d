using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Gateway;

internal static class GatewayEndpoints
{
    public const string ChallengeRateLimit = "vehicle-challenge";

    public static void MapGatewayEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(EnvelopeCodec.ChallengePath, Challenge).AllowAnonymous().RequireRateLimiting(ChallengeRateLimit).ExcludeFromDescription();
        routes.Map(EnvelopeCodec.WebSocketPath, Connect).AllowAnonymous().ExcludeFromDescription();
    }

    public sealed record ChallengeRequest(string? Vin);

    public sealed record ChallengeResponse(string Nonce, DateTimeOffset ExpiresAt);

    private static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> Challenge(
        ChallengeRequest request, VehicleAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(request.Vin))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidVin, "The VIN is not 17 characters of the ISO 3779 alphabet.");
        }
        var challenge = await authenticator.IssueChallengeAsync(request.Vin!, cancellationToken);
        return TypedResults.Ok(new ChallengeResponse(challenge.Nonce, challenge.ExpiresAt));
    }

    private static async Task<IResult> Connect(
        HttpContext context, VehicleAuthenticator authenticator, GatewayServices services, IOptions<GatewayOptions> options,
        IHostApplicationLifetime lifetime)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.WebSocketRequired, "This endpoint speaks WebSocket only.");
        }
        // Authentication happens before the upgrade: an unknown car never gets a socket.
        var vin = await authenticator.AuthenticateAsync(context, context.RequestAborted);
        if (vin is null)
        {
            return ApiProblems.Create(StatusCodes.Status401Unauthorized, ErrorCodes.VehicleAuthFailed, "The vehicle could not be authenticated.");
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
        {
            KeepAliveInterval = options.Value.KeepAliveInterval,
            KeepAliveTimeout = options.Value.KeepAliveTimeout,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        await new VehicleSession(vin, socket, services).RunAsync(stop.Token);
        return Results.Empty;
    }
}
