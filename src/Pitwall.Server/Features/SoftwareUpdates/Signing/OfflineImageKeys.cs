using System.Globalization;
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

    /// <summary>Signs the targets' <c>signed</c> part (as the admin API's <c>unsigned-targets</c> gives it) with the offline targets keys.</summary>
    /// <returns>The signed document; null when <paramref name="unsigned"/> is not targets metadata or the offline directory has no keys.</returns>
    public static string? SignTargets(string offlineDirectory, string unsigned)
    {
        var roots = Path.Combine(offlineDirectory, "root");
        if (!Directory.Exists(roots))
        {
            return null;
        }
        var latest = Directory.GetFiles(roots, "*.root.json").Max(f => int.Parse(Path.GetFileName(f).Split('.')[0], CultureInfo.InvariantCulture));
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
