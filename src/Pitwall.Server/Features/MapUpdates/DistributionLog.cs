using System.Globalization;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>
/// The map distribution's access log (<see cref="MapOptions.DistributionLogPath"/>): one line per request, written only from what the
/// processor gateway released for <see cref="MapDataCategories.Distribution"/> — the package and the token's verdict — plus the answer's
/// status and bytes. No client address, no User-Agent, no VIN, no account, no token: a line says which package went out, not to whom.
/// </summary>
internal sealed class DistributionLog(ProcessorGateway gateway, IOptions<MapOptions> options, TimeProvider time)
{
    private readonly Lock _lock = new();

    /// <summary>Logs one request; <paramref name="received"/> is everything the request carried, the gateway keeps what the log may hold.</summary>
    public void Write(OutboundData received, int status, long bytes)
    {
        var released = gateway.Release(MapDataCategories.Distribution, received);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"{time.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss'Z'} package={released[DataElement.MapPackage] ?? "-"} token={released[DataElement.AnonymousToken] ?? "-"} status={status} bytes={bytes}\n");
        var path = options.Value.DistributionLogPath;
        lock (_lock)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.AppendAllText(path, line);
        }
    }
}
