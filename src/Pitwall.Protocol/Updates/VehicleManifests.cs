using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Pitwall.Protocol.Updates;

/// <summary>One component's installed image as the car reports it: its version, SHA-256 and length.</summary>
public sealed record InstalledImage(string Component, string Version, string Sha256, long Length);

/// <summary>A verified vehicle manifest: the car, when it signed, its key and what each component runs.</summary>
public sealed record VehicleManifest(string Vin, DateTimeOffset SignedAt, string KeyId, string PublicKey, IReadOnlyList<InstalledImage> Installed);

/// <summary>Either a verified manifest or the stable reason (<see cref="ManifestRefusals"/>) it was refused.</summary>
public sealed record ManifestCheck(VehicleManifest? Manifest, string? Refusal);

/// <summary>
/// Uptane's vehicle version manifest: the car signs, with its own ECDSA P-256 key, what each component (ECU) runs — version, image
/// SHA-256 and length — with its VIN and the time, as a TUF-style signed document (<c>{"signed": …, "signatures": […]}</c>, canonical
/// JSON, the same key format as the update metadata). The signed part names the car's public key, which the server pins at the
/// car's first manifest over its authenticated link; a manifest signed by any other key is refused.
/// </summary>
public static class VehicleManifests
{
    public const string Type = "vehicle_manifest";

    public static string Sign(ECDsa key, string vin, DateTimeOffset now, IEnumerable<InstalledImage> installed)
    {
        var images = new JsonObject();
        foreach (var image in installed.OrderBy(i => i.Component, StringComparer.Ordinal))
        {
            images[image.Component] = new JsonObject { ["version"] = image.Version, ["sha256"] = image.Sha256, ["length"] = image.Length };
        }
        var signed = new JsonObject
        {
            ["_type"] = Type, ["vin"] = vin, ["time"] = now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["public_key"] = MetadataKeys.PublicKey(key), ["installed"] = images,
        };
        return MetadataKeys.SignDocument(signed, [key]);
    }

    /// <summary>Checks the manifest's form, its signature by the key it names, that it is <paramref name="vin"/>'s, and — when the car
    /// has a pinned key — that it is that key.</summary>
    public static ManifestCheck Verify(string document, string vin, string? pinnedKeyId)
    {
        JsonObject signed;
        JsonNode? key;
        string keyId;
        try
        {
            var root = JsonNode.Parse(document)!.AsObject();
            signed = root["signed"]!.AsObject();
            key = signed["public_key"];
            if (signed["_type"]?.GetValue<string>() != Type || key is not JsonObject keyObject)
            {
                return new(null, ManifestRefusals.Invalid);
            }
            keyId = MetadataKeys.KeyId(keyObject);
            var bytes = CanonicalJson.Serialize(signed);
            if (!root["signatures"]!.AsArray().Any(s => s?["keyid"]?.GetValue<string>() == keyId && MetadataKeys.Verify(key, bytes, s["sig"]?.GetValue<string>())))
            {
                return new(null, ManifestRefusals.BadSignature);
            }
            if (pinnedKeyId is not null && keyId != pinnedKeyId)
            {
                return new(null, ManifestRefusals.BadSignature); // signed, but not by the car's key
            }
            if (signed["vin"]?.GetValue<string>() != vin)
            {
                return new(null, ManifestRefusals.WrongVehicle);
            }
            var installed = signed["installed"]!.AsObject().Select(p => new InstalledImage(
                p.Key, p.Value!["version"]!.GetValue<string>(), p.Value["sha256"]!.GetValue<string>(), p.Value["length"]!.GetValue<long>())).ToList();
            var time = DateTimeOffset.Parse(signed["time"]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            return new(new VehicleManifest(vin, time, keyId, key["keyval"]!["public"]!.GetValue<string>(), installed), null);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException or FormatException
                                      or KeyNotFoundException or ArgumentException)
        {
            return new(null, ManifestRefusals.Invalid);
        }
    }
}

/// <summary>The stable codes a vehicle manifest is refused with (problem <c>code</c> over HTTP, <c>UpdateOffer.manifest_refusal</c> on the link).</summary>
public static class ManifestRefusals
{
    /// <summary>Not a vehicle manifest (JSON, type, fields).</summary>
    public const string Invalid = "manifest_invalid";
    /// <summary>The signature does not verify, or the key is not the one pinned for the car.</summary>
    public const string BadSignature = "manifest_bad_signature";
    /// <summary>A manifest of another car.</summary>
    public const string WrongVehicle = "manifest_wrong_vehicle";
    /// <summary>Signed before the manifest already stored: an old one replayed.</summary>
    public const string Replayed = "manifest_replayed";
}
