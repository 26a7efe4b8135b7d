using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates.Signing;

/// <summary>
/// Uptane's director view of one car, signed on demand with the online keys: targets metadata pinning each image the car must install
/// (its length and SHA-256, the component it is for as <c>ecuIdentifier</c>, its version and the hardware it fits) and the car's VIN,
/// a snapshot naming that targets version, and a timestamp naming the snapshot's version and hash; with the root versions the car
/// lacks. Versions are the signing time in Unix seconds, so they only grow without a counter per car (a clock set back by the operator
/// makes the cars refuse the sets as replayed until it catches up). Null when no keys were made (<c>pitwall admin update-keys init</c>).
/// </summary>
internal sealed class DirectorMetadata(UpdateKeyStore keys, IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    public MetadataSet? Sign(string vin, IReadOnlyList<SignedTarget> targets, int carRootVersion)
    {
        if (keys.LatestRootVersion == 0)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var version = now.ToUnixTimeSeconds();
        var expires = UpdateMetadataTime.Format(now + options.Value.MetadataLifetime);
        var pinned = new JsonObject();
        foreach (var target in targets)
        {
            pinned[target.Path] = new JsonObject
            {
                ["length"] = target.Length,
                ["hashes"] = new JsonObject { ["sha256"] = target.Sha256 },
                ["custom"] = new JsonObject
                {
                    ["ecuIdentifier"] = target.Component, ["version"] = target.Version,
                    ["hardwareIds"] = new JsonArray([.. target.HardwareIds.Select(h => JsonValue.Create(h))]),
                },
            };
        }
        var targetsText = Signed("targets", version, expires, new() { ["targets"] = pinned, ["custom"] = new JsonObject { ["vin"] = vin } });
        var snapshotText = Signed("snapshot", version, expires, new() { ["meta"] = new JsonObject { ["targets.json"] = new JsonObject { ["version"] = version } } });
        var timestampText = Signed("timestamp", version, expires, new()
        {
            ["meta"] = new JsonObject
            {
                ["snapshot.json"] = new JsonObject
                {
                    ["version"] = version, ["length"] = Encoding.UTF8.GetByteCount(snapshotText),
                    ["hashes"] = new JsonObject { ["sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshotText))) },
                },
            },
        });
        return new MetadataSet(carRootVersion > 0 ? keys.RootsAfter(carRootVersion) : [], timestampText, snapshotText, targetsText);
    }

    private string Signed(string role, long version, string expires, Dictionary<string, JsonNode?> body)
    {
        var signed = new JsonObject { ["_type"] = role, ["spec_version"] = "1.0.31", ["version"] = version, ["expires"] = expires };
        foreach (var (key, value) in body)
        {
            signed[key] = value;
        }
        var signers = keys.PrivateKeys(role);
        try
        {
            return MetadataKeys.SignDocument(signed, signers);
        }
        finally
        {
            foreach (var signer in signers)
            {
                signer.Dispose();
            }
        }
    }
}
