using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// <c>/api/v1/admin/software/image-repository</c>: Uptane's image repository, whose root and targets keys stay offline. The administrator
/// fetches the unsigned targets (every artifact's path, length and SHA-256), signs them on the offline machine
/// (<c>pitwall admin image-targets-sign</c>) and stores the signed document here; the server checks it against the image root and serves
/// it to the cars with every offer.
/// </summary>
internal static class ImageRepositoryEndpoints
{
    public static void MapImageRepositoryEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/admin/software/image-repository").WithTags("Software updates").RequireAuthorization(Scopes.ControlAdmin);
        group.MapGet("", State).WithSummary("The image repository: root and targets versions, and the artifacts its signed targets do not pin (yet).");
        group.MapGet("/unsigned-targets", Unsigned).WithSummary("The targets to sign offline next: every artifact's path, length and SHA-256, at the next version.");
        group.MapPut("/root", StoreRoot).Accepts<JsonObject>("application/json")
            .WithSummary("Store the next image root made offline (pitwall admin image-keys-rotate); refused unless it follows the stored root "
                + "(image_root_bad_signature), is newer (image_root_replayed_metadata) and not expired (image_root_expired_metadata); "
                + "409 image_root_online_key_missing when this server lacks its snapshot or timestamp key.");
        group.MapPut("/targets", Store).Accepts<JsonObject>("application/json")
            .WithSummary("Store targets signed offline; refused unless signed by the image root's targets keys, newer than the stored ones and not expired.");
    }

    private static async Task<Ok<ImageRepositoryResponse>> State(ImageRepository images, CatalogueStore catalogue, CancellationToken cancellationToken)
    {
        var signed = images.SignedTargets;
        var pinned = signed?["targets"]?.AsObject();
        var unsigned = images.Unsigned(await catalogue.ModulesAsync(cancellationToken))["targets"]!.AsObject()
            .Where(t => pinned?[t.Key] is not { } p || p["length"]!.GetValue<long>() != t.Value!["length"]!.GetValue<long>()
                        || p["hashes"]!["sha256"]!.GetValue<string>() != t.Value["hashes"]!["sha256"]!.GetValue<string>())
            .Select(t => t.Key).Order(StringComparer.Ordinal).ToList();
        return TypedResults.Ok(new ImageRepositoryResponse(images.LatestRootVersion, signed?["version"]?.GetValue<long>(),
            signed?["expires"]?.GetValue<string>(), pinned?.Count ?? 0, unsigned, images.RootExpires, images.TargetsTrusted));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Unsigned(ImageRepository images, CatalogueStore catalogue, CancellationToken cancellationToken) =>
        images.LatestRootVersion == 0
            ? Missing()
            : TypedResults.Ok(images.Unsigned(await catalogue.ModulesAsync(cancellationToken)));

    private static async Task<Results<NoContent, ProblemHttpResult>> Store(HttpRequest request, ImageRepository images, CancellationToken cancellationToken)
    {
        if (images.LatestRootVersion == 0)
        {
            return Missing();
        }
        using var reader = new StreamReader(request.Body);
        var document = await reader.ReadToEndAsync(cancellationToken);
        return images.Store(document) is { } reason
            ? ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, $"image_targets_{reason}", "The image repository's targets were refused.", reason switch
            {
                UpdateRefusals.Replayed => "Not newer than the stored targets: sign the targets from unsigned-targets again.",
                UpdateRefusals.Expired => "The targets have expired.",
                _ => "Not signed by a threshold of the image root's targets keys, or not targets metadata.",
            })
            : TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> StoreRoot(HttpRequest request, ImageRepository images, CancellationToken cancellationToken)
    {
        if (images.LatestRootVersion == 0)
        {
            return Missing();
        }
        using var reader = new StreamReader(request.Body);
        var document = await reader.ReadToEndAsync(cancellationToken);
        return images.StoreRoot(document) switch
        {
            null => TypedResults.NoContent(),
            ImageRepository.OnlineKeyMissing => ApiProblems.Conflict(SoftwareUpdateErrorCodes.ImageRootOnlineKeyMissing,
                "This server lacks the new root's snapshot or timestamp key: rotate those with --key-directory pointing at the server's key directory."),
            var reason => ApiProblems.Create(StatusCodes.Status422UnprocessableEntity, $"image_root_{reason}", "The image root was refused.", reason switch
            {
                UpdateRefusals.Replayed => "Not newer than the stored root.",
                UpdateRefusals.Expired => "The root has expired.",
                _ => "Unlinked: not the next version, or not signed by a threshold of the stored root's root keys and of its own.",
            }),
        };
    }

    private static ProblemHttpResult Missing() => ApiProblems.Conflict(SoftwareUpdateErrorCodes.ImageRepositoryMissing,
        "There is no image repository: make its keys offline with pitwall admin image-keys-init.");
}

/// <summary>The image repository's state; <c>unsignedImages</c>: artifacts its stored targets do not pin with their length and hash;
/// <c>targetsTrusted</c>: false when the stored targets do not verify against the newest root (expired, or signed before a targets key rotation).</summary>
internal sealed record ImageRepositoryResponse(
    int RootVersion, long? TargetsVersion, string? TargetsExpires, int SignedImages, IReadOnlyList<string> UnsignedImages, string? RootExpires, bool TargetsTrusted);
