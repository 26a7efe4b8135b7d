using Pitwall.Protocol.Updates;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// What the director makes of a car's verified vehicle manifest before it offers a deployment (Uptane): when every module runs on the
/// car already (same version, an image hash the module has), the action is finished without a download; when a module is older than
/// what its component runs, the action fails instead of asking the car to roll back. Otherwise the car gets the offer.
/// </summary>
internal static class ManifestDecisions
{
    public sealed record Decision(string Finished, string Detail);

    public static Decision? Decide(IReadOnlyList<InstalledImage> installed, IReadOnlyList<DdiChunk> chunks)
    {
        var running = installed.ToDictionary(i => i.Component, StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (running.TryGetValue(chunk.Name, out var image) && SoftwareVersions.Compare(chunk.Version, image.Version) < 0)
            {
                return new("failure", $"director: {chunk.Name} {chunk.Version} would roll back {image.Version}, which the vehicle manifest reports");
            }
        }
        return chunks.Count > 0 && chunks.All(c => running.TryGetValue(c.Name, out var image) && image.Version == c.Version
                                                   && c.Artifacts.Any(a => string.Equals(a.Hashes.Sha256, image.Sha256, StringComparison.OrdinalIgnoreCase)))
            ? new("success", "director: already installed, as the vehicle manifest reports")
            : null;
    }
}
