using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol.Maps;
using Pitwall.Server.Data;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The map distribution (the map data provider's side, F5): <c>GET /map-distribution/v1/{region}/{version}/{file}</c> serves a package
/// to whoever shows an unspent Privacy Pass token (<c>Authorization: PrivateToken token=…</c>, RFC 9577/9578) that Pitwall's issuer
/// blind-signed with its current key, or with the previous one during the overlap after a rotation. It authenticates no car and no account and reads nothing but the path and the token; its log
/// (<see cref="DistributionLog"/>) says which package went out, never to whom.
/// </summary>
internal static class MapDistributionEndpoints
{
    public const string Prefix = "/map-distribution/v1";

    public static void MapMapDistribution(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix + "/{region}/{version}/{file}", GetPackageAsync).AllowAnonymous().WithTags("Map distribution")
            .WithSummary("A map package (the whole region as OSM PBF, or an increment as an OSM change file) for an anonymous token; byte ranges resume a download.");
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetPackageAsync(
        string region, string version, string file, HttpContext http, MapCatalogue catalogue, MapTokenIssuer issuer, Database database,
        DistributionLog log, TimeProvider time, CancellationToken cancellationToken)
    {
        var received = new OutboundData { { DataElement.MapPackage, $"{region}/{version}/{file}" } };
        ProblemHttpResult Refuse(int status, string code, string title, string verdict)
        {
            received.Add(DataElement.AnonymousToken, verdict);
            log.Write(received, status, 0);
            if (status == StatusCodes.Status401Unauthorized)
            {
                http.Response.Headers.WWWAuthenticate =
                    $"{PrivateTokens.Scheme} challenge=\"{PrivateTokens.Encode(issuer.Challenge)}\", token-key=\"{PrivateTokens.Encode(issuer.Current.TokenKey)}\"";
            }
            return ApiProblems.Create(status, code, title);
        }

        if (PrivateTokens.FromAuthorization(http.Request.Headers.Authorization) is not { } token)
        {
            return Refuse(StatusCodes.Status401Unauthorized, MapUpdateErrorCodes.TokenMissing, "A map package needs an anonymous token (Authorization: PrivateToken token=…).", "missing");
        }
        var (checkedToken, nonce) = issuer.Verify(token);
        if (checkedToken == TokenVerdict.KeyRetired)
        {
            return Refuse(StatusCodes.Status401Unauthorized, MapUpdateErrorCodes.TokenKeyRetired,
                "The token's issuer key was rotated out; ask for new tokens at the next poll.", "retired");
        }
        if (nonce is null)
        {
            return Refuse(StatusCodes.Status401Unauthorized, MapUpdateErrorCodes.TokenInvalid, "The token is not one the map issuer signed for this distribution.", "invalid");
        }
        if (await catalogue.FileAsync(region, $"{version}/{file}", cancellationToken) is not { } package || !File.Exists(package.Path))
        {
            return Refuse(StatusCodes.Status404NotFound, MapUpdateErrorCodes.PackageNotFound, "No such map package.", "valid");
        }
        var nonceHash = Hashing.Sha256Hex(Convert.ToHexStringLower(nonce));
        var spent = await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO map_spent_tokens (nonce_hash, spent_at) VALUES (@nonceHash, @now) ON CONFLICT (nonce_hash) DO NOTHING",
            new { nonceHash, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);
        if (spent == 0)
        {
            return Refuse(StatusCodes.Status401Unauthorized, MapUpdateErrorCodes.TokenSpent, "The token was used before; each token fetches one package.", "spent");
        }
        received.Add(DataElement.AnonymousToken, "valid");
        log.Write(received, StatusCodes.Status200OK, package.Package.Size);
        return TypedResults.PhysicalFile(package.Path, package.Package.Kind == MapPackageKinds.Full ? "application/vnd.openstreetmap.data+pbf" : "application/gzip",
            Path.GetFileName(package.Path), entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{package.Package.Sha256}\""),
            enableRangeProcessing: true);
    }
}
