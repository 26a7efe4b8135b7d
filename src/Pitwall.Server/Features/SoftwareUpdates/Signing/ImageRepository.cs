using System.Globalization;
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
    public int LatestRootVersion => System.IO.Directory.Exists(RootDirectory)
        ? System.IO.Directory.GetFiles(RootDirectory, "*.root.json").Select(f => int.Parse(Path.GetFileName(f).Split('.')[0], CultureInfo.InvariantCulture)).DefaultIfEmpty(0).Max()
        : 0;

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
