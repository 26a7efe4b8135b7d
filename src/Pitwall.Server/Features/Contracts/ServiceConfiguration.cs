using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Contracts;

/// <summary>Tells a car which services its packages make active (a configuration frame, resent until the car has it).</summary>
public sealed class ServiceConfiguration(IEntitlements entitlements, IVehicleLink link, TimeProvider time)
{
    public async Task SendAsync(string vin, CancellationToken cancellationToken)
    {
        var configuration = new Configuration
        {
            ActiveServices = new ServiceList { Services = { (await entitlements.ActiveServicesAsync(vin, cancellationToken)).Order(StringComparer.Ordinal) } },
        };
        var now = time.GetUtcNow();
        await link.SendAsync(vin, new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Configuration = configuration }, now.AddDays(30), cancellationToken);
    }
}
