using Pitwall.Server.Features.Dealers;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>The dealer a breakdown's snapshot goes to (with consent) or a tow takes the car to: the one named, or the owner's
/// preferred dealer; asked of the dealers feature (<see cref="ICarDealers"/>).</summary>
internal sealed class DealerChoice(ICarDealers dealers)
{
    /// <returns>The dealer, or null when the id is unknown (or, without an id, the owner chose none).</returns>
    public async Task<DealerResponse?> ResolveAsync(string vin, string? dealerId, CancellationToken cancellationToken)
    {
        var view = await dealers.ViewAsync(vin, DateTimeOffset.MinValue, null, cancellationToken);
        return string.IsNullOrEmpty(dealerId) ? view.Preferred
            : view.Directory.FirstOrDefault(d => d.Id == dealerId) ?? view.Dealers.GetValueOrDefault(dealerId)
                ?? (view.Preferred?.Id == dealerId ? view.Preferred : null);
    }
}
