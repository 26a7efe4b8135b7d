using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates.Signing;

/// <summary>
/// The keys of signed update metadata, outside the database (<see cref="SoftwareUpdateOptions.KeyDirectory"/>): <c>root/N.root.json</c>,
/// the signed root metadata of every version (the chain a car follows from the root it trusts), and <c>keys/KEYID.pem</c>, the private
/// keys (PKCS #8) of the roles' current keys. A rotated key moves to <c>retired/</c>. The server itself needs only the online roles'
/// keys (targets, snapshot, timestamp): an operator may keep the root key elsewhere and bring it back to rotate.
/// </summary>
internal sealed class UpdateKeyStore(IOptions<SoftwareUpdateOptions> options)
{
    public static readonly string[] Roles = ["root", "targets", "snapshot", "timestamp"];
    private static readonly TimeSpan RootLifetime = TimeSpan.FromDays(365);

    public string Directory => options.Value.KeyDirectory;
    private string RootDirectory => Path.Combine(Directory, "root");
    private string KeyDirectory => Path.Combine(Directory, "keys");

    /// <summary>The newest root version, 0 when no keys were made.</summary>
    public int LatestRootVersion => KeyFiles.LatestVersion(RootDirectory);

    public string Root(int version) => File.ReadAllText(Path.Combine(RootDirectory, $"{version}.root.json"));

    /// <summary>The root versions after <paramref name="version"/>, oldest first.</summary>
    public IReadOnlyList<string> RootsAfter(int version) => [.. Enumerable.Range(version + 1, Math.Max(0, LatestRootVersion - version)).Select(Root)];

    /// <summary>The private keys of <paramref name="role"/> in the newest root; those missing here (an offline key) are left out.</summary>
    public IReadOnlyList<ECDsa> PrivateKeys(string role) => PrivateKeys(Signed(Root(LatestRootVersion)), role);

    /// <summary>Makes one key per role and root version 1 (threshold 1 each); refused when keys exist.</summary>
    /// <returns>False when keys exist already.</returns>
    public bool Initialize(DateTimeOffset now)
    {
        if (LatestRootVersion > 0)
        {
            return false;
        }
        System.IO.Directory.CreateDirectory(RootDirectory);
        var keys = Roles.ToDictionary(r => r, _ => NewKey(), StringComparer.Ordinal);
        var root = RootMetadata(1, now, keys.ToDictionary(k => k.Key, k => MetadataKeys.PublicKey(k.Value), StringComparer.Ordinal));
        Write(1, MetadataKeys.SignDocument(root, [keys["root"]]));
        return true;
    }

    /// <summary>Replaces <paramref name="role"/>'s key in a new root version (<see cref="KeyFiles.None"/>: the same keys, a new expiry), signed by
    /// the old root keys and the new ones (so a car trusting the old root accepts it); the old private key moves to <c>retired/</c>.</summary>
    /// <returns>The new root version; 0 when there are no keys or the old root key is not here.</returns>
    public int Rotate(string role, DateTimeOffset now)
    {
        var version = LatestRootVersion;
        if (version == 0)
        {
            return 0;
        }
        var old = Signed(Root(version));
        var oldRootKeys = PrivateKeys(old, "root");
        try
        {
            if (oldRootKeys.Count < KeyFiles.Threshold(old, "root"))
            {
                return 0;
            }
            using var replacement = role == KeyFiles.None ? null : NewKey();
            var next = KeyFiles.NextRoot(old, role, replacement, now + RootLifetime);
            List<ECDsa> signers = role == "root" ? [.. oldRootKeys, replacement!] : oldRootKeys;
            Write(version + 1, MetadataKeys.SignDocument(next, signers));
            if (replacement is not null)
            {
                KeyFiles.Retire(KeyDirectory, old, role);
            }
            return version + 1;
        }
        finally
        {
            KeyFiles.DisposeAll(oldRootKeys);
        }
    }

    /// <summary>Each role's key ids in the newest root.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> KeyIdsByRole()
    {
        var root = Signed(Root(LatestRootVersion));
        return Roles.ToDictionary(r => r, r => (IReadOnlyList<string>)[.. KeyIds(root, r)], StringComparer.Ordinal);
    }

    private static JsonObject RootMetadata(int version, DateTimeOffset now, IReadOnlyDictionary<string, JsonObject> publicKeys) =>
        KeyFiles.RootMetadata(version, now + RootLifetime, publicKeys);

    private ECDsa NewKey() => KeyFiles.NewKey(KeyDirectory);

    private List<ECDsa> PrivateKeys(JsonObject root, string role) => KeyFiles.Load(KeyDirectory, root, role);

    private static IEnumerable<string> KeyIds(JsonObject root, string role) => KeyFiles.KeyIds(root, role);

    private static JsonObject Signed(string document) => JsonNode.Parse(document)!["signed"]!.AsObject();

    private void Write(int version, string document) => File.WriteAllText(Path.Combine(RootDirectory, $"{version}.root.json"), document);
}

internal static class UpdateMetadataTime
{
    /// <summary>TUF's expiry format: UTC, whole seconds, with Z.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
