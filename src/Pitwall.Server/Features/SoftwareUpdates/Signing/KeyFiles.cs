using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates.Signing;

/// <summary>
/// What both of Uptane's repositories share: private keys as PKCS #8 PEM files named by key id (readable by the owner only), root
/// metadata listing each role's key with threshold 1, and the online roles' documents — a snapshot naming the targets version and a
/// timestamp naming the snapshot's version, length and hash.
/// </summary>
internal static class KeyFiles
{
    /// <summary>The "role" of a rotation that replaces no key: a new root version with the same keys and a new expiry.</summary>
    public const string None = "none";

    public static ECDsa NewKey(string directory)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"{MetadataKeys.KeyId(MetadataKeys.PublicKey(key))}.pem");
        File.WriteAllText(file, key.ExportPkcs8PrivateKeyPem());
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return key;
    }

    /// <summary>The private keys of <paramref name="role"/> in <paramref name="root"/> found in <paramref name="directory"/>.</summary>
    public static List<ECDsa> Load(string directory, JsonObject root, string role)
    {
        var keys = new List<ECDsa>();
        foreach (var keyId in KeyIds(root, role))
        {
            var file = Path.Combine(directory, $"{keyId}.pem");
            if (File.Exists(file))
            {
                var key = ECDsa.Create();
                key.ImportFromPem(File.ReadAllText(file));
                keys.Add(key);
            }
        }
        return keys;
    }

    public static IEnumerable<string> KeyIds(JsonObject root, string role) => root["roles"]![role]!["keyids"]!.AsArray().Select(k => k!.GetValue<string>());

    public static JsonObject RootMetadata(int version, DateTimeOffset expires, IReadOnlyDictionary<string, JsonObject> publicKeys)
    {
        var keys = new JsonObject();
        var roles = new JsonObject();
        foreach (var (role, key) in publicKeys)
        {
            var keyId = MetadataKeys.KeyId(key);
            keys[keyId] ??= key.DeepClone();
            roles[role] = new JsonObject { ["keyids"] = new JsonArray(keyId), ["threshold"] = 1 };
        }
        return new JsonObject
        {
            ["_type"] = "root", ["spec_version"] = "1.0.31", ["version"] = version, ["expires"] = UpdateMetadataTime.Format(expires),
            ["consistent_snapshot"] = false, ["keys"] = keys, ["roles"] = roles,
        };
    }

    /// <summary>The root after <paramref name="old"/>: the same keys but <paramref name="role"/>'s, which becomes <paramref name="replacement"/>
    /// (none: the same keys, a new expiry), at the next version. The caller signs it with the old root keys and, for a new root key, that too.</summary>
    public static JsonObject NextRoot(JsonObject old, string role, ECDsa? replacement, DateTimeOffset expires)
    {
        var roles = old["roles"]!.AsObject().Select(r => r.Key).ToList();
        var publicKeys = roles.ToDictionary(r => r, r => r == role && replacement is not null ? MetadataKeys.PublicKey(replacement) : KeyOf(old, r), StringComparer.Ordinal);
        return RootMetadata(old["version"]!.GetValue<int>() + 1, expires, publicKeys);
    }

    /// <summary>The public key of <paramref name="role"/> in <paramref name="root"/> (its first).</summary>
    public static JsonObject KeyOf(JsonObject root, string role) => root["keys"]![KeyIds(root, role).First()]!.AsObject().DeepClone().AsObject();

    /// <summary>Moves the private keys of <paramref name="role"/> in <paramref name="root"/> from <paramref name="directory"/> to its sibling <c>retired/</c>.</summary>
    public static void Retire(string directory, JsonObject root, string role)
    {
        var retired = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(directory))!, "retired")).FullName;
        foreach (var keyId in KeyIds(root, role))
        {
            var file = Path.Combine(directory, $"{keyId}.pem");
            if (File.Exists(file))
            {
                File.Move(file, Path.Combine(retired, $"{keyId}.pem"), overwrite: true);
            }
        }
    }

    /// <summary>The newest <c>N.root.json</c> in <paramref name="directory"/>; 0 when there is none.</summary>
    public static int LatestVersion(string directory) => Directory.Exists(directory)
        ? Directory.GetFiles(directory, "*.root.json").Select(f => int.Parse(Path.GetFileName(f).Split('.')[0], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max()
        : 0;

    /// <summary>The threshold of <paramref name="role"/> in <paramref name="root"/>.</summary>
    public static int Threshold(JsonObject root, string role) => root["roles"]![role]!["threshold"]!.GetValue<int>();

    /// <summary>The signed part of a role's document, without the <c>_type</c>-specific body.</summary>
    public static JsonObject Signed(string role, long version, DateTimeOffset expires) =>
        new() { ["_type"] = role, ["spec_version"] = "1.0.31", ["version"] = version, ["expires"] = UpdateMetadataTime.Format(expires) };

    /// <summary>Signs a snapshot naming <paramref name="targetsVersion"/> and a timestamp naming that snapshot, both at <paramref name="version"/>.</summary>
    public static (string Timestamp, string Snapshot) SnapshotAndTimestamp(
        long version, long targetsVersion, DateTimeOffset expires, IReadOnlyList<ECDsa> snapshotKeys, IReadOnlyList<ECDsa> timestampKeys)
    {
        var snapshot = Signed("snapshot", version, expires);
        snapshot["meta"] = new JsonObject { ["targets.json"] = new JsonObject { ["version"] = targetsVersion } };
        var snapshotText = MetadataKeys.SignDocument(snapshot, snapshotKeys);
        var timestamp = Signed("timestamp", version, expires);
        timestamp["meta"] = new JsonObject
        {
            ["snapshot.json"] = new JsonObject
            {
                ["version"] = version, ["length"] = Encoding.UTF8.GetByteCount(snapshotText),
                ["hashes"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshotText))) },
            },
        };
        return (MetadataKeys.SignDocument(timestamp, timestampKeys), snapshotText);
    }

    public static void DisposeAll(IEnumerable<ECDsa> keys)
    {
        foreach (var key in keys)
        {
            key.Dispose();
        }
    }
}
