using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Dealers;

/// <summary>Navigation to the dealer (F1): the dealer's address and position sent to the car as a destination for its driver.</summary>
internal sealed class DealerNavigation(IVehicleLink link, TimeProvider time)
{
    /// <summary>A destination the car has not fetched within a week is no longer of use.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <returns>The destination's id.</returns>
    public async Task<string> SendAsync(string vin, Dealer dealer, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var id = Guid.NewGuid().ToString("N");
        var destination = new Destination
        {
            DestinationId = id, Name = dealer.Name, Address = dealer.Address, Phone = dealer.Phone ?? "", Kind = "dealer",
            Position = new Position { Latitude = dealer.Latitude, Longitude = dealer.Longitude },
        };
        await link.SendAsync(vin, new Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Destination = destination }, now + Lifetime, cancellationToken);
        return id;
    }
}
