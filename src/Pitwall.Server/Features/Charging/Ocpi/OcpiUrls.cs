using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>Where Pitwall's OCPI endpoints are: <c>/ocpi/versions</c>, <c>/ocpi/2.2.1</c> and the modules below it.</summary>
internal sealed class OcpiUrls(IOptions<ChargingOptions> options)
{
    public const string Version = "2.2.1";
    public const string Root = "/ocpi";
    public const string VersionRoot = Root + "/" + Version;

    public string Base(HttpRequest request) =>
        options.Value.PublicBaseUrl is { Length: > 0 } configured ? configured.TrimEnd('/') : $"{request.Scheme}://{request.Host}{request.PathBase}";

    /// <summary>Where an operator posts the result of a command (OCPI Commands, Sender interface): unique per command.</summary>
    public string CommandResult(HttpRequest request, string command, string id) => Base(request) + VersionRoot + "/commands/" + command + "/" + id;

    public string Versions(HttpRequest request) => Base(request) + Root + "/versions";

    public string Module(HttpRequest request, string module) => Base(request) + VersionRoot + "/" + module;
}
