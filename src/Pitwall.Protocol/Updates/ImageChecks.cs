using System.Globalization;

namespace Pitwall.Protocol.Updates;

/// <summary>A file an offer asks the car to install.</summary>
public sealed record OfferedImage(string Component, string Filename, long Length, string Sha256, string Version);

/// <summary>
/// The car's checks of an offer against verified director metadata (before downloading) and of each downloaded image against its
/// signed length and hash (before installing). Each answers null or a stable reason of <see cref="UpdateRefusals"/>.
/// </summary>
public static class ImageChecks
{
    public static string? Offer(VerifiedMetadata metadata, string vin, string? hardwareId, IReadOnlyDictionary<string, string> installed, IReadOnlyList<OfferedImage> offered)
    {
        if (!string.Equals(metadata.Vin, vin, StringComparison.Ordinal))
        {
            return UpdateRefusals.WrongVehicle;
        }
        if (offered.Count != metadata.Targets.Count)
        {
            return UpdateRefusals.UnsignedTarget; // a partial or padded bundle
        }
        foreach (var image in offered)
        {
            if (!metadata.Targets.TryGetValue(SignedTarget.PathOf(image.Component, image.Version, image.Filename), out var target) || target.Length != image.Length
                || !string.Equals(target.Sha256, image.Sha256, StringComparison.OrdinalIgnoreCase) || target.Version != image.Version)
            {
                return UpdateRefusals.UnsignedTarget;
            }
            if (target.HardwareIds.Count > 0 && (hardwareId is null || !target.HardwareIds.Contains(hardwareId, StringComparer.Ordinal)))
            {
                return UpdateRefusals.WrongHardware;
            }
            if (installed.TryGetValue(target.Component, out var running) && SoftwareVersions.Compare(target.Version, running) < 0)
            {
                return UpdateRefusals.Rollback;
            }
        }
        return null;
    }

    /// <summary>Uptane's check across the repositories: every image the director names is in the image repository's targets (signed
    /// offline) with the same length and SHA-256.</summary>
    public static string? AgainstImageRepository(VerifiedMetadata director, VerifiedImages images) =>
        director.Targets.All(t => images.Targets.TryGetValue(t.Key, out var image) && image.Length == t.Value.Length
                                  && string.Equals(image.Sha256, t.Value.Sha256, StringComparison.OrdinalIgnoreCase))
            ? null
            : UpdateRefusals.ImageMismatch;

    public static string? Image(SignedTarget target, long length, string sha256) =>
        length == target.Length && string.Equals(sha256, target.Sha256, StringComparison.OrdinalIgnoreCase) ? null : UpdateRefusals.TamperedImage;
}

/// <summary>Orders version strings as people write them: parts split at '.', '-' and '+', numeric parts by value, others ordinally
/// (24.10.0 after 24.9.3).</summary>
public static class SoftwareVersions
{
    private static readonly char[] Separators = ['.', '-', '+'];

    public static int Compare(string a, string b)
    {
        var left = a.Split(Separators);
        var right = b.Split(Separators);
        for (var i = 0; i < Math.Max(left.Length, right.Length); i++)
        {
            var x = i < left.Length ? left[i] : "0";
            var y = i < right.Length ? right[i] : "0";
            var order = long.TryParse(x, NumberStyles.None, CultureInfo.InvariantCulture, out var m) && long.TryParse(y, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                ? m.CompareTo(n)
                : string.CompareOrdinal(x, y);
            if (order != 0)
            {
                return Math.Sign(order);
            }
        }
        return 0;
    }
}
