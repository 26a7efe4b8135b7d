using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Gateway;

internal static class GatewayEndpoints
{
    public const string ChallengeRateLimit = "vehicle-challenge";

    public static void MapGatewayEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(EnvelopeCodec.ChallengePath, Challenge).AllowAnonymous().RequireRateLimiting(ChallengeRateLimit).ExcludeFromDescription();
    }

    public sealed record ChallengeRequest(string? Vin);

    public sealed record ChallengeResponse(string Nonce, DateTimeOffset ExpiresAt);

    private static async Task<Results<Ok<ChallengeResponse>, ProblemHttpResult>> Challenge(
        ChallengeRequest request, VehicleAuthenticator authenticator, HttpContext context, CancellationToken cancellationToken)
    {
        if (!context.Request.IsHttps)
        {
            // The car's upgrade, which follows, then comes as the first request of a connection of its own, and only
            // that one is served by the lean link below Kestrel's HTTP layer (VehicleLinkConnections). Under TLS the link
            // takes Kestrel's path anyway, and a second TLS handshake would cost more than it saves.
            context.Response.Headers.Connection = "close";
        }
        if (!Vin.IsValid(request.Vin))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidVin, "The VIN is not 17 characters of the ISO 3779 alphabet.");
        }
        var challenge = await authenticator.IssueChallengeAsync(request.Vin!, cancellationToken);
        return TypedResults.Ok(new ChallengeResponse(challenge.Nonce, challenge.ExpiresAt));
    }
}
