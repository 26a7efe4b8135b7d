using System.Security.Cryptography;
using System.Text.Json;
using Pitwall.Protocol.Maps;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>One issuer key: its RFC 9578 token key and key id, when it began (or begins) to sign, and the private key.</summary>
internal sealed record IssuerKey(string Id, byte[] KeyId, byte[] TokenKey, RSAParameters PublicKey, RSA Private, DateTimeOffset NotBefore);

/// <summary>
/// The map token issuer's keys in their directory (<see cref="MapOptions.IssuerKeyDirectory"/>), never in the database: one PKCS #8
/// PEM per key named by its key id (mode 0600) and <c>issuer-keys.json</c>, the list of keys with the time each one signs from
/// ("not-before", RFC 9578 §4). The newest key whose time has come signs; the one before it is still accepted at the map
/// distribution for the overlap after its successor began (tokens signed before a rotation stay good for that long); older ones are
/// refused and dropped at the next rotation. <c>pitwall admin map-token-keys-rotate</c> adds a key; every instance that reads the
/// directory follows the list when it changes.
/// </summary>
internal sealed class IssuerKeySet(IReadOnlyList<IssuerKey> keys) : IDisposable
{
    public const string ListFile = "issuer-keys.json";

    private static readonly JsonSerializerOptions ListFormat = new(JsonSerializerOptions.Web) { WriteIndented = true };

    /// <summary>The key file of installations before rotation, taken over as the first key.</summary>
    public const string LegacyFile = "token-issuer.pem";

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<IssuerKey> Keys { get; } = [.. keys.OrderBy(k => k.NotBefore)];

    /// <summary>The key that signs at <paramref name="now"/>: the newest that has begun (the first one if none has yet).</summary>
    public IssuerKey Current(DateTimeOffset now) => Keys.LastOrDefault(k => k.NotBefore <= now) ?? Keys[0];

    /// <summary>Whether the map distribution accepts tokens of <paramref name="key"/> at <paramref name="now"/>.</summary>
    public bool Accepts(IssuerKey key, DateTimeOffset now, TimeSpan overlap)
    {
        var index = Keys.ToList().IndexOf(key);
        return index >= 0 && Accepted([.. Keys.Select(k => k.NotBefore)], index, now, overlap);
    }

    /// <summary>The rule over the keys' beginnings (oldest first; a later key of equal time is the newer): the current key is
    /// accepted; a newer one (not begun) is not; an older one is while its successor began less than <paramref name="overlap"/> ago.</summary>
    private static bool Accepted(IReadOnlyList<DateTimeOffset> beginnings, int index, DateTimeOffset now, TimeSpan overlap)
    {
        var current = 0;
        for (var i = 0; i < beginnings.Count; i++)
        {
            if (beginnings[i] <= now)
            {
                current = i;
            }
        }
        return index == current || (index < current && now < beginnings[index + 1] + overlap);
    }

    public IssuerKey? Find(ReadOnlySpan<byte> keyId)
    {
        foreach (var key in Keys)
        {
            if (key.KeyId.AsSpan().SequenceEqual(keyId))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>The keys in <paramref name="directory"/>; a directory without a list gets its first key (the legacy key file if there is
    /// one, else a new key) signing from <paramref name="now"/>.</summary>
    public static IssuerKeySet LoadOrCreate(string directory, DateTimeOffset now)
    {
        var list = Path.Combine(directory, ListFile);
        if (!File.Exists(list))
        {
            Directory.CreateDirectory(directory);
            var legacy = Path.Combine(directory, LegacyFile);
            using var first = RSA.Create();
            if (File.Exists(legacy))
            {
                first.ImportFromPem(File.ReadAllText(legacy));
            }
            else
            {
                first.KeySize = 2048;
            }
            var id = WriteKey(directory, first);
            var temporary = Path.Combine(directory, $".{ListFile}.{Guid.NewGuid():N}");
            File.WriteAllText(temporary, JsonSerializer.Serialize(new KeyList([new ListedKey(id, now)]), ListFormat));
            try
            {
                // Another instance may make it at the same moment: the first list wins, and everyone reads that one.
                File.Move(temporary, list, overwrite: false);
            }
            catch (IOException) when (File.Exists(list))
            {
                File.Delete(temporary);
            }
        }
        return Load(directory);
    }

    /// <summary>The keys the list names whose PEM file is there.</summary>
    public static IssuerKeySet Load(string directory)
    {
        var listed = JsonSerializer.Deserialize<KeyList>(File.ReadAllText(Path.Combine(directory, ListFile)), ListFormat)?.Keys ?? [];
        var keys = new List<IssuerKey>();
        foreach (var entry in listed)
        {
            var pem = Path.Combine(directory, $"{entry.KeyId}.pem");
            if (File.Exists(pem))
            {
                var rsa = RSA.Create();
                rsa.ImportFromPem(File.ReadAllText(pem));
                var publicKey = rsa.ExportParameters(false);
                var tokenKey = PrivateTokens.TokenKey(publicKey);
                keys.Add(new IssuerKey(entry.KeyId, PrivateTokens.KeyId(tokenKey), tokenKey, publicKey, rsa, entry.NotBefore));
            }
        }
        if (keys.Count == 0)
        {
            throw new InvalidOperationException($"The map token issuer's key directory {directory} lists no key that is there.");
        }
        return new IssuerKeySet(keys);
    }

    /// <summary>Adds a new key that signs from <paramref name="notBefore"/> and drops the keys no longer accepted at <paramref name="now"/>
    /// (their PEM files are deleted). The new key's truncated id (its last byte, as an RFC 9578 TokenRequest carries it) differs from
    /// every kept key's.</summary>
    /// <returns>The new key's id and the ids of the keys dropped.</returns>
    public static (string Added, IReadOnlyList<string> Dropped) Rotate(string directory, DateTimeOffset notBefore, DateTimeOffset now, TimeSpan overlap)
    {
        using var before = LoadOrCreate(directory, now);
        RSA? rsa = null;
        byte[] keyId;
        do
        {
            rsa?.Dispose();
            rsa = RSA.Create(2048);
            keyId = PrivateTokens.KeyId(PrivateTokens.TokenKey(rsa.ExportParameters(false)));
        }
        while (before.Keys.Any(k => k.KeyId[^1] == keyId[^1]));
        string added;
        using (rsa)
        {
            added = WriteKey(directory, rsa);
        }
        var after = before.Keys.Select(k => new ListedKey(k.Id, k.NotBefore)).Append(new ListedKey(added, notBefore)).OrderBy(k => k.NotBefore).ToList();
        var beginnings = after.Select(k => k.NotBefore).ToList();
        var dropped = after.Where((k, i) => k.NotBefore <= now && !Accepted(beginnings, i, now, overlap)).Select(k => k.KeyId).ToList();
        after.RemoveAll(k => dropped.Contains(k.KeyId));
        var temporary = Path.Combine(directory, $".{ListFile}.{Guid.NewGuid():N}");
        File.WriteAllText(temporary, JsonSerializer.Serialize(new KeyList(after), ListFormat));
        File.Move(temporary, Path.Combine(directory, ListFile), overwrite: true);
        foreach (var id in dropped)
        {
            File.Delete(Path.Combine(directory, $"{id}.pem"));
        }
        return (added, dropped);
    }

    /// <summary>Writes the private key as <c>{key id}.pem</c>, readable by the owner only; returns the id (hex).</summary>
    private static string WriteKey(string directory, RSA rsa)
    {
        var id = Convert.ToHexStringLower(PrivateTokens.KeyId(PrivateTokens.TokenKey(rsa.ExportParameters(false))));
        var path = Path.Combine(directory, $"{id}.pem");
        if (!File.Exists(path))
        {
            var temporary = Path.Combine(directory, $".{id}.{Guid.NewGuid():N}");
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
                using var writer = new StreamWriter(file);
                writer.Write(rsa.ExportPkcs8PrivateKeyPem());
            }
            File.Move(temporary, path, overwrite: true);
        }
        return id;
    }

    public void Dispose()
    {
        foreach (var key in Keys)
        {
            key.Private.Dispose();
        }
    }

    private sealed record KeyList(IReadOnlyList<ListedKey> Keys);

    private sealed record ListedKey(string KeyId, DateTimeOffset NotBefore);
}
