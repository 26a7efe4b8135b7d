using System.Text.RegularExpressions;
using Microsoft.Net.Http.Headers;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// <c>Pitwall:SoftwareUpdates:AcceleratedDownloads</c>: with a front that can serve files itself (nginx's
/// <c>X-Accel-Redirect</c>, deploy/nginx/pitwall-updates.conf), Pitwall still answers every DDI artifact download — the
/// controller's token, the vehicle-service gate, the assignment — and then, instead of the bytes, names the content-addressed
/// file in <see cref="Header"/>; the front's internal location serves it with sendfile and byte ranges. Only requests that came
/// through such a front say so (<c>X-Sendfile-Type: X-Accel-Redirect</c>, set by the front, as Rack's Sendfile convention has
/// it); any other request — a car through HAProxy, a client calling an instance — gets the bytes from Pitwall as without it.
/// </summary>
internal sealed partial class AcceleratedDownloadOptions
{
    /// <summary>The request header by which a front says it serves files on <see cref="Header"/>.</summary>
    public const string RequestHeader = "X-Sendfile-Type";

    /// <summary>Off by default: Pitwall streams the bytes, whatever the request says.</summary>
    public bool Enabled { get; set; }

    /// <summary>The response header the front acts on (nginx: <c>X-Accel-Redirect</c>).</summary>
    public string Header { get; set; } = "X-Accel-Redirect";

    /// <summary>The front's internal location for <c>ArtifactDirectory</c>; the header carries <c>{Prefix}/sha256/ab/abcd…</c>.</summary>
    public string Prefix { get; set; } = "/_pitwall/artifacts";

    /// <summary>Whether the front that forwarded <paramref name="request"/> sends the file itself.</summary>
    public bool AppliesTo(HttpRequest request) =>
        Enabled && string.Equals(request.Headers[RequestHeader].ToString(), Header, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checked at start (a header name is a token; the prefix an absolute path without a trailing slash).</summary>
    public bool IsValid => HeaderName().IsMatch(Header) && PrefixPath().IsMatch(Prefix);

    [GeneratedRegex("^[A-Za-z0-9-]{1,64}$")]
    private static partial Regex HeaderName();

    [GeneratedRegex("^(/[A-Za-z0-9._~-]+)+$")]
    private static partial Regex PrefixPath();
}

/// <summary>The answer to an authorised download when a front serves the bytes: no body, the file's place for the front, and
/// the headers the front keeps (type, name, the SHA-256 as entity tag, which <c>If-Range</c> compares).</summary>
internal sealed class AcceleratedArtifactResult(AcceleratedDownloadOptions options, Artifact artifact) : IResult
{
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/octet-stream";
        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(artifact.Filename);
        response.Headers.ContentDisposition = disposition.ToString();
        response.Headers.ETag = $"\"{artifact.Sha256}\"";
        response.Headers[options.Header] = $"{options.Prefix}/sha256/{artifact.Sha256[..2]}/{artifact.Sha256}";
        response.ContentLength = 0;
        return Task.CompletedTask;
    }
}
