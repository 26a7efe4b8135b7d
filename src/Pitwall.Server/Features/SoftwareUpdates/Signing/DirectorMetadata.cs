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
/// With an image repository (<see cref="ImageRepository"/>) the set carries its metadata too, for the car to check each image against it.
/// </summary>
internal sealed class DirectorMetadata(UpdateKeyStore keys, ImageRepository images, IOptions<SoftwareUpdateOptions> options, TimeProvider time)
{
    public MetadataSet? Sign(string vin, IReadOnlyList<SignedTarget> targets, int carRootVersion, int carImageRootVersion = 0)
    {
        if (keys.LatestRootVersion == 0)
        {
            return null;
        }
        var now = time.GetUtcNow();
        var version = now.ToUnixTimeSeconds();
        var expires = now + options.Value.MetadataLifetime;
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
        var signed = KeyFiles.Signed("targets", version, expires);
        signed["targets"] = pinned;
        signed["custom"] = new JsonObject { ["vin"] = vin };
        var targetsKeys = keys.PrivateKeys("targets");
        var snapshotKeys = keys.PrivateKeys("snapshot");
        var timestampKeys = keys.PrivateKeys("timestamp");
        try
        {
            var targetsText = MetadataKeys.SignDocument(signed, targetsKeys);
            var (timestampText, snapshotText) = KeyFiles.SnapshotAndTimestamp(version, version, expires, snapshotKeys, timestampKeys);
            return new MetadataSet(carRootVersion > 0 ? keys.RootsAfter(carRootVersion) : [], timestampText, snapshotText, targetsText,
                images.Sign(carImageRootVersion));
        }
        finally
        {
            KeyFiles.DisposeAll([.. targetsKeys, .. snapshotKeys, .. timestampKeys]);
        }
    }
}
