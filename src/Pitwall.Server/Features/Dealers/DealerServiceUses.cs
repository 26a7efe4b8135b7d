using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The uses of the service <c>maintenance</c> the dealers feature adds to the gate's, for its API and the portal's pages.</summary>
public static class DealerServiceUses
{
    /// <summary>Choosing the dealer: the primary user, whatever the car's switches (nothing goes to or comes from the car).</summary>
    public static readonly ServiceUse Choice = new("primary_only_choice", true, CarSwitches.None);

    /// <summary>Booking and answering: any user of the car, whatever the car's switches (the car takes no part).</summary>
    public static readonly ServiceUse Booking = new("booking", false, CarSwitches.None);
}
