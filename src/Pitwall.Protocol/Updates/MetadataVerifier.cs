using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Pitwall.Protocol.Updates;

/// <summary>A verified set: the state the car trusts from now on, the car it is for and the images it pins (by <see cref="SignedTarget.Path"/>).</summary>
public sealed record VerifiedMetadata(TrustedMetadata Trusted, string Vin, IReadOnlyDictionary<string, SignedTarget> Targets);

/// <summary>Either a verified set or the stable reason (<see cref="UpdateRefusals"/>) it was refused.</summary>
public sealed record MetadataCheck(VerifiedMetadata? Verified, string? Refusal);

/// <summary>An image as the image repository's targets (signed offline) pin it.</summary>
public sealed record ImageTarget(long Length, string Sha256);

/// <summary>A verified image-repository set: the state the car trusts from now on and every image it pins, by path.</summary>
public sealed record VerifiedImages(TrustedMetadata Trusted, IReadOnlyDictionary<string, ImageTarget> Targets);

/// <summary>Either a verified image-repository set or the stable reason it was refused.</summary>
public sealed record ImageRepositoryCheck(VerifiedImages? Verified, string? Refusal);

/// <summary>
/// The car's side of signed update metadata, in the order of TUF's client workflow: each new root must be signed by a threshold of the
/// trusted root's root keys and of its own, one version at a time; then the timestamp, the snapshot it names (by hash and version)
/// and the targets the snapshot names, each signed by a threshold of its role's keys in the root, not below the versions already
/// trusted (replay) and not expired by the car's secure time. Rotating a role's keys in a new root resets what the car remembers of
/// that role, so the new keys' versions may start afresh. The same workflow serves both of Uptane's repositories: the director
/// (<see cref="Verify"/>, targets for one car) and the image repository (<see cref="VerifyImages"/>, every image, signed offline).
/// </summary>
public static class MetadataVerifier
{
    public static MetadataCheck Verify(TrustedMetadata trusted, MetadataSet set, DateTimeOffset now)
    {
        var (verified, refusal) = Run(() =>
        {
            var (state, targets) = VerifyOrThrow(trusted, set, now);
            var pinned = targets["targets"]!.AsObject().ToDictionary(p => p.Key, p => Target(p.Key, p.Value!), StringComparer.Ordinal);
            return new VerifiedMetadata(state, targets["custom"]!["vin"]!.GetValue<string>(), pinned);
        });
        return new MetadataCheck(verified, refusal);
    }

    public static ImageRepositoryCheck VerifyImages(TrustedMetadata trusted, MetadataSet set, DateTimeOffset now)
    {
        var (verified, refusal) = Run(() =>
        {
            var (state, targets) = VerifyOrThrow(trusted, set, now);
            var pinned = targets["targets"]!.AsObject().ToDictionary(
                p => p.Key, p => new ImageTarget(p.Value!["length"]!.GetValue<long>(), p.Value["hashes"]!["sha256"]!.GetValue<string>()), StringComparer.Ordinal);
            return new VerifiedImages(state, pinned);
        });
        return new ImageRepositoryCheck(verified, refusal);
    }

    /// <summary>One role's document against a root, as a repository checks what it is given to serve: signed by a threshold of the role's
    /// keys, of that type, at <paramref name="minimumVersion"/> or later, not expired.</summary>
    /// <returns>Null, or the stable reason.</returns>
    public static string? CheckDocument(string rootText, string document, string role, long minimumVersion, DateTimeOffset now) =>
        Run(() => Checked(document, role, Parse(rootText)["signed"]!.AsObject(), minimumVersion, now)).Refusal;

    /// <summary>A repository's check of the next root before it serves it: the version after <paramref name="trustedRoot"/>'s (not older:
    /// replayed; a gap: unlinked, a bad signature), signed by a threshold of the trusted root's root keys and of its own, not expired.</summary>
    /// <returns>Null, or the stable reason.</returns>
    public static string? CheckNextRoot(string trustedRoot, string nextRoot, DateTimeOffset now) =>
        Run(() =>
        {
            var root = Parse(trustedRoot)["signed"]!.AsObject();
            var document = Parse(nextRoot);
            var next = Signed(document, "root");
            if (Version(next) <= Version(root))
            {
                throw new RefusedException(UpdateRefusals.Replayed);
            }
            if (Version(next) != Version(root) + 1 || !SignedBy(document, root, "root") || !SignedBy(document, next, "root"))
            {
                throw new RefusedException(UpdateRefusals.BadSignature);
            }
            NotExpired(next, now);
            return next;
        }).Refusal;

    private static (T? Verified, string? Refusal) Run<T>(Func<T> verify) where T : class
    {
        try
        {
            return (verify(), null);
        }
        catch (RefusedException e)
        {
            return (null, e.Reason);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException
                                      or KeyNotFoundException)
        {
            return (null, UpdateRefusals.BadSignature); // not metadata at all
        }
    }

    private static (TrustedMetadata Trusted, JsonObject Targets) VerifyOrThrow(TrustedMetadata trusted, MetadataSet set, DateTimeOffset now)
    {
        var root = Parse(trusted.Root)["signed"]!.AsObject();
        var (timestampVersion, snapshotVersion, targetsVersion) = (trusted.TimestampVersion, trusted.SnapshotVersion, trusted.TargetsVersion);
        var rootText = trusted.Root;
        foreach (var text in set.Roots)
        {
            var document = Parse(text);
            var next = Signed(document, "root");
            if (Version(next) != Version(root) + 1 || !SignedBy(document, root, "root") || !SignedBy(document, next, "root"))
            {
                throw new RefusedException(UpdateRefusals.BadSignature);
            }
            timestampVersion = KeysOf(root, "timestamp") == KeysOf(next, "timestamp") ? timestampVersion : 0;
            snapshotVersion = KeysOf(root, "snapshot") == KeysOf(next, "snapshot") ? snapshotVersion : 0;
            targetsVersion = KeysOf(root, "targets") == KeysOf(next, "targets") ? targetsVersion : 0;
            (root, rootText) = (next, text);
        }
        NotExpired(root, now);

        var timestamp = Checked(set.Timestamp, "timestamp", root, timestampVersion, now);
        var snapshotMeta = timestamp["meta"]!["snapshot.json"]!;
        if (snapshotMeta["hashes"]?["sha256"]?.GetValue<string>() != Sha256(set.Snapshot)
            || snapshotMeta["length"]?.GetValue<long>() is { } length && length != Encoding.UTF8.GetByteCount(set.Snapshot))
        {
            throw new RefusedException(UpdateRefusals.Inconsistent);
        }
        var snapshot = Checked(set.Snapshot, "snapshot", root, snapshotVersion, now);
        if (Version(snapshot) != snapshotMeta["version"]!.GetValue<long>())
        {
            throw new RefusedException(UpdateRefusals.Inconsistent);
        }
        var targets = Checked(set.Targets, "targets", root, targetsVersion, now);
        if (Version(targets) != snapshot["meta"]!["targets.json"]!["version"]!.GetValue<long>())
        {
            throw new RefusedException(UpdateRefusals.Inconsistent);
        }
        return (new TrustedMetadata(rootText, Version(timestamp), Version(snapshot), Version(targets)), targets);
    }

    /// <summary>Signed by the role's threshold, the right type, not replayed, not expired.</summary>
    private static JsonObject Checked(string text, string role, JsonObject root, long trustedVersion, DateTimeOffset now)
    {
        var document = Parse(text);
        var signed = Signed(document, role);
        if (!SignedBy(document, root, role))
        {
            throw new RefusedException(UpdateRefusals.BadSignature);
        }
        if (Version(signed) < trustedVersion)
        {
            throw new RefusedException(UpdateRefusals.Replayed);
        }
        NotExpired(signed, now);
        return signed;
    }

    private static bool SignedBy(JsonObject document, JsonObject root, string role)
    {
        var spec = root["roles"]![role]!;
        var keyIds = spec["keyids"]!.AsArray().Select(k => k!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        var threshold = spec["threshold"]!.GetValue<int>();
        var bytes = CanonicalJson.Serialize(document["signed"]);
        var valid = new HashSet<string>(StringComparer.Ordinal);
        foreach (var signature in document["signatures"]!.AsArray())
        {
            var keyId = signature!["keyid"]!.GetValue<string>();
            if (keyIds.Contains(keyId) && !valid.Contains(keyId) && root["keys"]![keyId] is { } key
                && MetadataKeys.KeyId(key.AsObject()) == keyId && MetadataKeys.Verify(key, bytes, signature["sig"]?.GetValue<string>()))
            {
                valid.Add(keyId);
            }
        }
        return threshold >= 1 && valid.Count >= threshold;
    }

    private static SignedTarget Target(string path, JsonNode target)
    {
        var custom = target["custom"]!;
        var (component, version) = (custom["ecuIdentifier"]!.GetValue<string>(), custom["version"]!.GetValue<string>());
        var prefix = SignedTarget.PathOf(component, version, "");
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new RefusedException(UpdateRefusals.BadSignature); // a path that does not name its component and version
        }
        return new SignedTarget(component, path[prefix.Length..], target["length"]!.GetValue<long>(), target["hashes"]!["sha256"]!.GetValue<string>(),
            version, [.. (custom["hardwareIds"]?.AsArray() ?? []).Select(h => h!.GetValue<string>())]);
    }

    private static JsonObject Parse(string text) => JsonNode.Parse(text)!.AsObject();

    private static JsonObject Signed(JsonObject document, string role)
    {
        var signed = document["signed"]!.AsObject();
        return signed["_type"]?.GetValue<string>() == role ? signed : throw new RefusedException(UpdateRefusals.BadSignature);
    }

    private static long Version(JsonObject signed) => signed["version"]!.GetValue<long>();

    private static string KeysOf(JsonObject root, string role) =>
        string.Join(',', root["roles"]![role]!["keyids"]!.AsArray().Select(k => k!.GetValue<string>()).Order(StringComparer.Ordinal));

    private static void NotExpired(JsonObject signed, DateTimeOffset now)
    {
        var expires = DateTimeOffset.Parse(signed["expires"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        if (expires <= now)
        {
            throw new RefusedException(UpdateRefusals.Expired);
        }
    }

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private sealed class RefusedException(string reason) : Exception(reason)
    {
        public string Reason { get; } = reason;
    }
}
