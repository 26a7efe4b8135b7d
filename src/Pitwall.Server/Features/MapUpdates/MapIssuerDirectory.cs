using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.Maps;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The map token issuer's directory (RFC 9578 §4, <c>/.well-known/private-token-issuer-directory</c>): its public token keys, the
/// current one first, then a key announced for later (with its <c>not-before</c>), then the previous one while the map distribution
/// still accepts it. Tokens are requested over the vehicle link (<c>MapPoll</c>), so the request URI names the link's endpoint.
/// </summary>
internal static class MapIssuerDirectory
{
    public const string Path = "/.well-known/private-token-issuer-directory";
    public const string MediaType = "application/private-token-issuer-directory";

    public static void MapMapIssuerDirectory(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Path, Directory).AllowAnonymous().WithTags("Map distribution")
            .WithSummary("The map token issuer's directory (RFC 9578): its token keys (Privacy Pass type 2, Blind RSA 2048) in order of preference; tokens are requested in the vehicle link's MapPoll.");
    }

    private static JsonHttpResult<IssuerDirectoryResponse> Directory(MapTokenIssuer issuer, IOptions<MapOptions> options, TimeProvider time, HttpResponse response)
    {
        var now = time.GetUtcNow();
        var keys = issuer.Keys;
        var current = keys.Current(now);
        var listed = new[] { current }
            .Concat(keys.Keys.Where(k => k.NotBefore > now).OrderByDescending(k => k.NotBefore))
            .Concat(keys.Keys.Where(k => k != current && k.NotBefore <= now && keys.Accepts(k, now, options.Value.TokenKeyOverlap)).OrderByDescending(k => k.NotBefore))
            .Select(k => new IssuerTokenKey(PrivateTokens.TokenType, Base64Url(k.TokenKey), k.NotBefore.ToUnixTimeSeconds()))
            .ToList();
        // The RFC asks for HTTP caching; an hour is far below the overlap, so a client never holds only a retired key.
        response.Headers.CacheControl = "public, max-age=3600";
        return TypedResults.Json(new IssuerDirectoryResponse(EnvelopeCodec.WebSocketPath, listed), contentType: MediaType);
    }

    /// <summary>base64url with padding, as RFC 9578 §4 writes the token key.</summary>
    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).Replace('+', '-').Replace('/', '_');
}

/// <param name="IssuerRequestUri">Where tokens are requested: the vehicle link, whose MapPoll carries the blinded requests.</param>
internal sealed record IssuerDirectoryResponse(
    [property: JsonPropertyName("issuer-request-uri")] string IssuerRequestUri,
    [property: JsonPropertyName("token-keys")] IReadOnlyList<IssuerTokenKey> TokenKeys);

/// <param name="TokenKey">The key as RFC 9578 §6.5 encodes it (SubjectPublicKeyInfo with the RSASSA-PSS OID), base64url with padding.</param>
/// <param name="NotBefore">When the key began (or begins) to sign, Unix seconds.</param>
internal sealed record IssuerTokenKey(
    [property: JsonPropertyName("token-type")] int TokenType,
    [property: JsonPropertyName("token-key")] string TokenKey,
    [property: JsonPropertyName("not-before")] long NotBefore);
