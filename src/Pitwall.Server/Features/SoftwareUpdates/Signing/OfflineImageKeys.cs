using System.Text.Json.Nodes;
using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates.Signing;

/// <summary>
/// The offline half of Uptane's image repository, for the administrator's signing machine (<c>pitwall admin image-keys-init</c> and
/// <c>image-targets-sign</c>; neither needs the server or its database): the root and targets keys live in the offline directory only;
/// the snapshot and timestamp keys, which the server signs with at every offer, go to the server's key directory with root version 1.
/// </summary>
internal static class OfflineImageKeys
{
    private static readonly TimeSpan RootLifetime = TimeSpan.FromDays(365);

    /// <returns>False when either directory holds an image repository already.</returns>
    public static bool Initialize(string offlineDirectory, string keyDirectory, DateTimeOffset now)
    {
        var server = Path.Combine(keyDirectory, "image");
        if (Directory.Exists(Path.Combine(offlineDirectory, "root")) || Directory.Exists(Path.Combine(server, "root")))
        {
            return false;
        }
        var offlineKeys = Path.Combine(offlineDirectory, "keys");
        var onlineKeys = Path.Combine(server, "keys");
        var keys = new Dictionary<string, System.Security.Cryptography.ECDsa>(StringComparer.Ordinal)
        {
            ["root"] = KeyFiles.NewKey(offlineKeys), ["targets"] = KeyFiles.NewKey(offlineKeys),
            ["snapshot"] = KeyFiles.NewKey(onlineKeys), ["timestamp"] = KeyFiles.NewKey(onlineKeys),
        };
        try
        {
            var root = KeyFiles.RootMetadata(1, now + RootLifetime, keys.ToDictionary(k => k.Key, k => MetadataKeys.PublicKey(k.Value), StringComparer.Ordinal));
            var document = MetadataKeys.SignDocument(root, [keys["root"]]);
            foreach (var directory in new[] { offlineDirectory, server })
            {
                File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(directory, "root")).FullName, "1.root.json"), document);
            }
            return true;
        }
        finally
        {
            KeyFiles.DisposeAll(keys.Values);
        }
    }

    /// <summary>Rotates a role's key of the image repository (or, with <see cref="KeyFiles.None"/>, renews the root's expiry): root version
    /// N+1 in the offline directory, signed by the old root keys (and the new root key when that is the one replaced), so that a car
    /// trusting root N follows it. A new root or targets key stays offline; a new snapshot or timestamp key goes to the server's key
    /// directory, which is then required. With a key directory the new root (and any earlier one it lacks) goes there too; otherwise store it through the admin API
    /// (<c>PUT /api/v1/admin/software/image-repository/root</c>). The replaced private key moves to <c>retired/</c> beside its directory.</summary>
    /// <returns>The new root version, or 0 and why not.</returns>
    public static (int Version, string? Error) Rotate(string offlineDirectory, string? keyDirectory, string role, DateTimeOffset now)
    {
        var roots = Path.Combine(offlineDirectory, "root");
        var version = KeyFiles.LatestVersion(roots);
        if (version == 0)
        {
            return (0, "There is no image repository in the offline directory (image-keys-init makes it).");
        }
        var online = role is "snapshot" or "timestamp";
        if (online && keyDirectory is null)
        {
            return (0, "A new snapshot or timestamp key belongs on the server: give its --key-directory.");
        }
        var old = JsonNode.Parse(File.ReadAllText(Path.Combine(roots, $"{version}.root.json")))!["signed"]!.AsObject();
        var offlineKeys = Path.Combine(offlineDirectory, "keys");
        var rootKeys = KeyFiles.Load(offlineKeys, old, "root");
        try
        {
            if (rootKeys.Count < KeyFiles.Threshold(old, "root"))
            {
                return (0, "The offline directory lacks the image root's key.");
            }
            var home = online ? Path.Combine(keyDirectory!, "image", "keys") : offlineKeys;
            using var replacement = role == KeyFiles.None ? null : KeyFiles.NewKey(home);
            var next = KeyFiles.NextRoot(old, role, replacement, now + RootLifetime);
            List<System.Security.Cryptography.ECDsa> signers = role == "root" ? [.. rootKeys, replacement!] : rootKeys;
            var document = MetadataKeys.SignDocument(next, signers);
            File.WriteAllText(Path.Combine(roots, $"{version + 1}.root.json"), document);
            if (keyDirectory is not null)
            {
                // The server gets the new root and any earlier one it lacks (stored through the API or not at all), so its chain has no gap.
                var serverRoots = Directory.CreateDirectory(Path.Combine(keyDirectory, "image", "root")).FullName;
                foreach (var file in Directory.GetFiles(roots, "*.root.json").Where(f => !File.Exists(Path.Combine(serverRoots, Path.GetFileName(f)))))
                {
                    File.Copy(file, Path.Combine(serverRoots, Path.GetFileName(file)));
                }
            }
            if (replacement is not null)
            {
                KeyFiles.Retire(home, old, role);
            }
            return (version + 1, null);
        }
        finally
        {
            KeyFiles.DisposeAll(rootKeys);
        }
    }

    /// <summary>Signs the targets' <c>signed</c> part (as the admin API's <c>unsigned-targets</c> gives it) with the offline targets keys.</summary>
    /// <returns>The signed document; null when <paramref name="unsigned"/> is not targets metadata or the offline directory has no keys.</returns>
    public static string? SignTargets(string offlineDirectory, string unsigned)
    {
        var roots = Path.Combine(offlineDirectory, "root");
        if (!Directory.Exists(roots))
        {
            return null;
        }
        var latest = KeyFiles.LatestVersion(roots);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(roots, $"{latest}.root.json")))!["signed"]!.AsObject();
        JsonObject signed;
        try
        {
            signed = JsonNode.Parse(unsigned) as JsonObject ?? throw new FormatException();
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException)
        {
            return null;
        }
        if (signed["_type"]?.GetValue<string>() != "targets")
        {
            return null;
        }
        var keys = KeyFiles.Load(Path.Combine(offlineDirectory, "keys"), root, "targets");
        try
        {
            return keys.Count == 0 ? null : MetadataKeys.SignDocument(signed, keys);
        }
        finally
        {
            KeyFiles.DisposeAll(keys);
        }
    }
}
