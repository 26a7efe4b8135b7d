using System.Text.Json.Nodes;

namespace Pitwall.Protocol.Updates;

/// <summary>
/// What an update offer carries (<c>UpdateOffer.metadata</c>): the root metadata versions the car does not have yet (in order), and the
/// director's timestamp, snapshot and targets for this car — each document as the exact text that was signed and hashed, as a TUF
/// repository's files; and, as Uptane's second repository, the image repository's set (<see cref="Image"/>: its roots the car lacks,
/// its timestamp and snapshot, and its targets signed offline), against which the car checks every image the director names.
/// </summary>
public sealed record MetadataSet(IReadOnlyList<string> Roots, string Timestamp, string Snapshot, string Targets, MetadataSet? Image = null)
{
    public string ToJson() => ToNode().ToJsonString();

    private JsonObject ToNode()
    {
        var node = new JsonObject
        {
            ["roots"] = new JsonArray([.. Roots.Select(r => JsonValue.Create(r))]),
            ["timestamp"] = Timestamp,
            ["snapshot"] = Snapshot,
            ["targets"] = Targets,
        };
        if (Image is not null)
        {
            node["image"] = Image.ToNode();
        }
        return node;
    }

    /// <returns>Null when <paramref name="json"/> is not a metadata set.</returns>
    public static MetadataSet? Parse(string json)
    {
        try
        {
            return From(JsonNode.Parse(json)!);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException)
        {
            return null;
        }
    }

    private static MetadataSet From(JsonNode node) => new(
        [.. node["roots"]!.AsArray().Select(r => r!.GetValue<string>())],
        node["timestamp"]!.GetValue<string>(), node["snapshot"]!.GetValue<string>(), node["targets"]!.GetValue<string>(),
        node["image"] is { } image ? From(image) : null);
}

/// <summary>An image the director's targets metadata pins for this car: its length and SHA-256, the component (Uptane's ECU) it is
/// for, its version and the hardware it fits (empty: any).</summary>
public sealed record SignedTarget(string Component, string Filename, long Length, string Sha256, string Version, IReadOnlyList<string> HardwareIds)
{
    /// <summary>The name in the director's and the image repository's targets metadata: unique per component and version.</summary>
    public string Path => PathOf(Component, Version, Filename);

    public static string PathOf(string component, string version, string filename) => $"{component}/{version}/{filename}";
}

/// <summary>What the car trusts after a verified set: the root (its text), and the versions of the other roles it has seen, which
/// the next set must not go below.</summary>
public sealed record TrustedMetadata(string Root, long TimestampVersion = 0, long SnapshotVersion = 0, long TargetsVersion = 0);

/// <summary>The stable reasons a car refuses an update on its metadata or image, reported back with the feedback.</summary>
public static class UpdateRefusals
{
    /// <summary>The offer came without signed metadata although the car trusts a root.</summary>
    public const string MissingMetadata = "missing_metadata";
    /// <summary>Not signed by a threshold of the role's keys in the trusted root, or a root not chaining from the trusted one.</summary>
    public const string BadSignature = "bad_signature";
    /// <summary>The snapshot or targets is not the one the timestamp or snapshot names (mix and match).</summary>
    public const string Inconsistent = "inconsistent_metadata";
    /// <summary>A role's version lower than one the car already trusted: an old set replayed.</summary>
    public const string Replayed = "replayed_metadata";
    /// <summary>A role's metadata past its expiry by the car's secure time.</summary>
    public const string Expired = "expired_metadata";
    /// <summary>The targets are for another car.</summary>
    public const string WrongVehicle = "wrong_vehicle";
    /// <summary>A file of the offer that the targets metadata does not pin with this length, hash, component and version.</summary>
    public const string UnsignedTarget = "unsigned_target";
    /// <summary>The image is for other hardware than the car's.</summary>
    public const string WrongHardware = "wrong_hardware";
    /// <summary>The image is older than what the component runs.</summary>
    public const string Rollback = "rollback";
    /// <summary>The image repository (targets signed offline) does not hold an image the director names, or pins another length or
    /// hash for it: the online server was wrong or compromised.</summary>
    public const string ImageMismatch = "image_mismatch";
    /// <summary>The downloaded bytes differ from the signed length or hash.</summary>
    public const string TamperedImage = "tampered_image";
}
