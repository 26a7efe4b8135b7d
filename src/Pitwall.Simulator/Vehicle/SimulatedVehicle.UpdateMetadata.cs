using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pitwall.Protocol.Updates;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// Signed update metadata in the car (F3, Uptane's full verification on the primary): with a trusted root
/// (<see cref="SimulatedVehicleOptions.TrustedUpdateRoot"/>) the car verifies the offer's root chain, timestamp, snapshot and director
/// targets before downloading, checks that the targets are for this car, pin every offered file, fit its hardware and do not roll a
/// component back, and checks each downloaded image's length and SHA-256 against them before installing. With a trusted image root
/// (<see cref="SimulatedVehicleOptions.TrustedImageRoot"/>) it also verifies the image repository's set and refuses any image the
/// director names that the image repository's offline-signed targets do not pin with the same length and hash. A refusal is reported as a
/// failed installation with the detail <c>refused: &lt;reason&gt;</c> (<see cref="UpdateRefusals"/>).
/// </summary>
public sealed partial class SimulatedVehicle
{
    private const string RefusedPrefix = "refused: ";

    private TrustedMetadata? _trustedMetadata;
    private TrustedMetadata? _trustedImages;

    /// <summary>Why the car last refused an update on its metadata or image, or null.</summary>
    public string? LastUpdateRefusal { get; private set; }

    /// <summary>The version of the metadata root the car trusts now (0: none).</summary>
    public int TrustedUpdateRootVersion => Read(_ => RootVersion());

    private TrustedMetadata? Trusted() =>
        _trustedMetadata ??= _options.TrustedUpdateRoot is { } root ? new TrustedMetadata(root) : null;

    private TrustedMetadata? TrustedImages() =>
        _trustedImages ??= _options.TrustedImageRoot is { } root ? new TrustedMetadata(root) : null;

    /// <summary>The version of the image repository's root the car trusts now (0: none).</summary>
    public int TrustedImageRootVersion => Read(_ => ImageRootVersion());

    /// <summary>Under the lock.</summary>
    private int RootVersion() => Trusted() is { } trusted ? VersionOf(trusted) : 0;

    /// <summary>Under the lock.</summary>
    private int ImageRootVersion() => TrustedImages() is { } trusted ? VersionOf(trusted) : 0;

    private static int VersionOf(TrustedMetadata trusted) => JsonNode.Parse(trusted.Root)!["signed"]!["version"]!.GetValue<int>();

    /// <summary>Verifies the offer before the download; null metadata when the car trusts no root. Under the lock.</summary>
    private (string? Refusal, VerifiedMetadata? Verified) VerifyOffer(UpdateOffer offer)
    {
        if (Trusted() is not { } trusted)
        {
            return (null, null);
        }
        if (MetadataSet.Parse(offer.Metadata) is not { } set)
        {
            return (UpdateRefusals.MissingMetadata, null);
        }
        var now = (_options.SecureTime ?? _time).GetUtcNow();
        var check = MetadataVerifier.Verify(trusted, set, now);
        if (check.Verified is not { } verified)
        {
            return (check.Refusal, null);
        }
        _trustedMetadata = verified.Trusted; // the newest root and versions, whatever the offer's files turn out to be
        if (TrustedImages() is { } trustedImages)
        {
            // Uptane's full verification: the image repository (targets signed offline) must pin every image the director names.
            if (set.Image is not { } imageSet)
            {
                return (UpdateRefusals.MissingMetadata, null);
            }
            var images = MetadataVerifier.VerifyImages(trustedImages, imageSet, now);
            if (images.Verified is not { } verifiedImages)
            {
                return (images.Refusal, null);
            }
            _trustedImages = verifiedImages.Trusted;
            if (ImageChecks.AgainstImageRepository(verified, verifiedImages) is { } mismatch)
            {
                return (mismatch, null);
            }
        }
        var refusal = ImageChecks.Offer(verified, _options.Vin, _options.HardwareVariant, Installed(),
            [.. offer.Files.Select(f => new OfferedImage(f.Component, f.Filename, (long)f.Size, f.Sha256, f.Version))]);
        return (refusal, refusal is null ? verified : null);
    }

    /// <summary>Reports a refused update. Under the lock.</summary>
    private void Refuse(ulong actionId, string reason)
    {
        LastUpdateRefusal = reason;
        Log($"refused an update: {reason}");
        Feedback(actionId, "closed", "failure", RefusedPrefix + reason);
    }

    /// <returns>The image's length and lowercase SHA-256.</returns>
    private static async Task<(long Length, string Sha256)> MeasureAsync(Stream body)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }
        return (length, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }
}
