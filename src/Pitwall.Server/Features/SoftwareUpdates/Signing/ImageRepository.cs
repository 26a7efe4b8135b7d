using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates.Signing;

/// <summary>
/// Uptane's image repository as the server holds it, in <c>image/</c> of the key directory: <c>root/N.root.json</c> (public, written by
/// <c>pitwall admin image-keys-init</c>), <c>keys/</c> with the private keys of the online roles only (snapshot, timestamp), and
/// <c>targets.json</c>, the targets metadata an administrator signed offline and stored through the admin API. The root and targets
/// keys never reach the server: it cannot pin an image the offline targets do not, so a compromised server cannot make cars install.
/// </summary>
internal sealed class ImageRepository(IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    private static readonly Lock Writing = new();

    private string Directory => Path.Combine(options.Value.KeyDirectory, "image");
    private string RootDirectory => Path.Combine(Directory, "root");
    private string TargetsFile => Path.Combine(Directory, "targets.json");

    /// <summary>The newest root version, 0 without an image repository.</summary>
    public int LatestRootVersion => KeyFiles.LatestVersion(RootDirectory);

    public string Root(int version) => File.ReadAllText(Path.Combine(RootDirectory, $"{version}.root.json"));

    /// <summary>The stored targets document (signed offline), or null.</summary>
    public string? Targets => File.Exists(TargetsFile) ? File.ReadAllText(TargetsFile) : null;

    /// <summary>The stored targets' signed part, or null.</summary>
    public JsonObject? SignedTargets => Targets is { } text ? JsonNode.Parse(text)!["signed"]!.AsObject() : null;

    /// <summary>The image repository's set for a car trusting root <paramref name="carRootVersion"/>: the newer roots, a fresh snapshot
    /// and timestamp signed with the online keys, and the offline-signed targets. Null without a root or stored targets, or for a car
    /// trusting no image root.</summary>
    public MetadataSet? Sign(int carRootVersion)
    {
        var latest = LatestRootVersion;
        if (carRootVersion <= 0 || latest == 0 || Targets is not { } targets)
        {
            return null;
        }
        var root = JsonNode.Parse(Root(latest))!["signed"]!.AsObject();
        var keys = Path.Combine(Directory, "keys");
        var snapshotKeys = KeyFiles.Load(keys, root, "snapshot");
        var timestampKeys = KeyFiles.Load(keys, root, "timestamp");
        try
        {
            var now = time.GetUtcNow();
            var targetsVersion = JsonNode.Parse(targets)!["signed"]!["version"]!.GetValue<long>();
            var (timestamp, snapshot) = KeyFiles.SnapshotAndTimestamp(
                now.ToUnixTimeSeconds(), targetsVersion, now + options.Value.MetadataLifetime, snapshotKeys, timestampKeys);
            return new MetadataSet([.. Enumerable.Range(carRootVersion + 1, Math.Max(0, latest - carRootVersion)).Select(Root)], timestamp, snapshot, targets);
        }
        finally
        {
            KeyFiles.DisposeAll([.. snapshotKeys, .. timestampKeys]);
        }
    }

    /// <summary>What the administrator signs offline next: every artifact of <paramref name="modules"/> by path, length and hashes, at the
    /// version after the stored one, valid for <see cref="SoftwareUpdateOptions.ImageTargetsLifetime"/>.</summary>
    public JsonObject Unsigned(IEnumerable<SoftwareModule> modules)
    {
        var targets = new JsonObject();
        foreach (var module in modules)
        {
            foreach (var artifact in module.Artifacts)
            {
                targets[SignedTarget.PathOf(module.Name, module.Version, artifact.Filename)] = new JsonObject
                {
                    ["length"] = artifact.Size,
                    ["hashes"] = new JsonObject { ["sha256"] = artifact.Sha256 },
                    ["custom"] = new JsonObject { ["module"] = module.Id },
                };
            }
        }
        var signed = KeyFiles.Signed("targets", (SignedTargets?["version"]?.GetValue<long>() ?? 0) + 1, time.GetUtcNow() + options.Value.ImageTargetsLifetime);
        signed["targets"] = targets;
        return signed;
    }

    /// <summary>Stores the next root made offline (<c>pitwall admin image-keys-rotate</c>) when it follows the stored one (its version next,
    /// signed by a threshold of the stored root's root keys and of its own) and has not expired, and when this server holds the private keys
    /// of its snapshot and timestamp roles (it signs those at every offer).</summary>
    /// <returns>Null; the stable reason of <see cref="UpdateRefusals"/>; or <see cref="OnlineKeyMissing"/>.</returns>
    public string? StoreRoot(string document)
    {
        lock (Writing)
        {
            var latest = LatestRootVersion;
            if (MetadataVerifier.CheckNextRoot(Root(latest), document, time.GetUtcNow()) is { } refusal)
            {
                return refusal;
            }
            var next = JsonNode.Parse(document)!["signed"]!.AsObject();
            foreach (var role in new[] { "snapshot", "timestamp" })
            {
                var keys = KeyFiles.Load(Path.Combine(Directory, "keys"), next, role);
                KeyFiles.DisposeAll(keys);
                if (keys.Count < KeyFiles.Threshold(next, role))
                {
                    return OnlineKeyMissing;
                }
            }
            var temporary = Path.Combine(RootDirectory, $"{latest + 1}.root.json.new");
            File.WriteAllText(temporary, document);
            File.Move(temporary, Path.Combine(RootDirectory, $"{latest + 1}.root.json"));
            return null;
        }
    }

    /// <summary>Why <see cref="StoreRoot"/> refuses a root whose online keys this server lacks.</summary>
    public const string OnlineKeyMissing = "online_key_missing";

    /// <summary>When the newest root expires (TUF's format), or null without one.</summary>
    public string? RootExpires => LatestRootVersion is > 0 and var v ? JsonNode.Parse(Root(v))!["signed"]!["expires"]!.GetValue<string>() : null;

    /// <summary>Whether the stored targets verify against the newest root (after the targets key was rotated they must be signed again).</summary>
    public bool TargetsTrusted => Targets is { } targets && LatestRootVersion is > 0 and var v
        && MetadataVerifier.CheckDocument(Root(v), targets, "targets", 0, time.GetUtcNow()) is null;

    /// <summary>Stores targets signed offline when a threshold of the root's targets keys signed them, at a version above the stored
    /// one and not expired.</summary>
    /// <returns>Null, or the stable reason of <see cref="UpdateRefusals"/>.</returns>
    public string? Store(string document)
    {
        lock (Writing)
        {
            var minimum = (SignedTargets?["version"]?.GetValue<long>() ?? 0) + 1;
            if (MetadataVerifier.CheckDocument(Root(LatestRootVersion), document, "targets", minimum, time.GetUtcNow()) is { } refusal)
            {
                return refusal;
            }
            var temporary = TargetsFile + ".new";
            File.WriteAllText(temporary, document);
            File.Move(temporary, TargetsFile, overwrite: true);
            return null;
        }
    }
}
