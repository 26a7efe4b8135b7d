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
        ChallengeRequest request, VehicleAuthenticator authenticator, CancellationToken cancellationToken)
    {
        if (!Vin.IsValid(request.Vin))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, ErrorCodes.InvalidVin, "The VIN is not 17 characters of the ISO 3779 alphabet.");
        }
        var challenge = await authenticator.IssueChallengeAsync(request.Vin!, cancellationToken);
        return TypedResults.Ok(new ChallengeResponse(challenge.Nonce, challenge.ExpiresAt));
    }
}
