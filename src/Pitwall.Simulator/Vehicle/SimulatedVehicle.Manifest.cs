using System.Security.Cryptography;
using System.Text;
using Pitwall.Protocol.Updates;

namespace Pitwall.Simulator;

/// <summary>
/// Uptane vehicle manifests (F3): with <see cref="SimulatedVehicleOptions.ManifestKey"/> every update poll carries what each component
/// runs — version, image SHA-256 and length — signed with the car's key. A factory image's bytes are <see cref="FactoryImage"/>; an
/// installed update's are the file the car downloaded and checked.
/// </summary>
public sealed partial class SimulatedVehicle
{
    private readonly Dictionary<string, (string Sha256, long Length)> _installedImages = new(StringComparer.Ordinal);

    /// <summary>The image a simulated car runs from the factory for a component at a version.</summary>
    public static byte[] FactoryImage(string component, string version) => Encoding.UTF8.GetBytes($"pitwall factory image {component} {version}\n");

    /// <summary>Under the lock.</summary>
    private List<InstalledImage> InstalledImages() =>
    [
        .. Installed().Select(s =>
        {
            var (sha256, length) = _installedImages.TryGetValue(s.Key, out var image)
                ? image
                : (Convert.ToHexStringLower(SHA256.HashData(FactoryImage(s.Key, s.Value))), FactoryImage(s.Key, s.Value).Length);
            return new InstalledImage(s.Key, s.Value, sha256, length);
        }),
    ];
}
