namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>Serving an artifact's bytes: straight from its file, with byte ranges (a resumed download asks for the rest) and an
/// entity tag from its SHA-256 (so <c>If-Range</c> resumes only the same bytes) — or, behind a front that serves files
/// (<see cref="AcceleratedDownloadOptions"/>), only the file's place for the front.</summary>
internal static class ArtifactFiles
{
    /// <param name="accelerated">The front's settings when the request came through a front that sends the file itself.</param>
    public static IResult Serve(ArtifactStore files, Artifact artifact, AcceleratedDownloadOptions? accelerated = null)
    {
        var path = files.PathOf(artifact.Sha256);
        if (!File.Exists(path))
        {
            return Hosting.ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, Hosting.ErrorCodes.ServiceUnavailable, "The artifact's file is missing on this instance.");
        }
        if (accelerated is not null)
        {
            return new AcceleratedArtifactResult(accelerated, artifact);
        }
        var file = TypedResults.PhysicalFile(path, "application/octet-stream", artifact.Filename,
            entityTag: new Microsoft.Net.Http.Headers.EntityTagHeaderValue($"\"{artifact.Sha256}\""), enableRangeProcessing: true);
        return new ArtifactFileResult(file);
    }

    /// <summary>The <c>.MD5SUM</c> file hawkBit serves beside an artifact: the hash, two spaces, the file name.</summary>
    public static IResult Md5Sum(Artifact artifact) => TypedResults.Text($"{artifact.Md5}  {artifact.Filename}\n", "text/plain");

    /// <summary>A file result sent through <see cref="ArtifactBody"/> (large reads and writes instead of the 16 KiB fallback).</summary>
    private sealed class ArtifactFileResult(IResult file) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => ArtifactBody.ExecuteAsync(httpContext, file);
    }
}
