namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Serving an artifact's bytes: straight from its file, with byte ranges (a resumed download asks for the rest) and an
/// entity tag from its SHA-256 (so <c>If-Range</c> resumes only the same bytes).</summary>
internal static class ArtifactFiles
{
    public static IResult Serve(ArtifactStore files, Artifact artifact)
    {
        var path = files.PathOf(artifact.Sha256);
        return File.Exists(path)
            ? TypedResults.PhysicalFile(path, "application/octet-stream", artifact.Filename,
                entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{artifact.Sha256}\""), enableRangeProcessing: true)
            : Hosting.ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, Hosting.ErrorCodes.ServiceUnavailable, "The artifact's file is missing on this instance.");
    }

    /// <summary>The <c>.MD5SUM</c> file hawkBit serves beside an artifact: the hash, two spaces, the file name.</summary>
    public static IResult Md5Sum(Artifact artifact) => TypedResults.Text($"{artifact.Md5}  {artifact.Filename}\n", "text/plain");
}
