using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Charging.Sessions;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>The account's charges at public stations (G2), from the CDRs of the last 90 days: where, which operator, energy, duration
/// and cost, with the month's totals. The same gate and data as <c>GET /api/v1/vehicles/{vin}/charging-history</c>.</summary>
internal sealed class ChargingHistoryModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t, IPublicCharging charging)
    : VehiclePage(vehicles, issuer, t)
{
    public bool Entitled { get; private set; }

    public IReadOnlyList<ChargeResponse> Charges { get; private set; } = [];

    /// <summary>Per calendar month (UTC), newest first: the number of charges, energy and cost including VAT.</summary>
    public IReadOnlyList<(string Month, int Count, decimal Kwh, decimal Cost, string Currency)> Months { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        Entitled = await UseAsync(ServiceIds.Charging, ServiceUse.Read, count: true, cancellationToken) is null;
        if (Entitled)
        {
            Charges = await charging.HistoryAsync(AccountId, cancellationToken);
            Months = [.. Charges.GroupBy(c => c.StartedAt.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture))
                .Select(g => (g.Key, g.Count(), g.Sum(c => c.EnergyKwh), g.Sum(c => c.Cost.InclVat ?? c.Cost.ExclVat), g.First().Cost.Currency))];
        }
        return Page();
    }
}
