using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Sessions;

/// <summary>A price from an OCPI 2.2.1 Tariff: excluding and including VAT.</summary>
internal sealed record TariffPrice(decimal ExclVat, decimal InclVat);

/// <summary>
/// Prices a charge by an operator's OCPI 2.2.1 Tariff: per price component, <c>ENERGY</c> (per kWh), <c>TIME</c> (per hour charging),
/// <c>PARKING_TIME</c> (per hour parked without charging) and <c>FLAT</c> (once), each with its own <c>vat</c> percentage. Of each
/// component type the first tariff element that has one counts (restrictions such as time of day are not evaluated) and
/// <c>step_size</c> rounding is not applied: the operator's CDR total stays the binding figure, this is the estimate and the
/// cross-check.
/// </summary>
internal static class TariffPricer
{
    public static TariffPrice? Price(JsonObject? tariff, decimal kwh, TimeSpan charging, TimeSpan parking)
    {
        if (tariff?["elements"] is not JsonArray elements)
        {
            return null;
        }
        var components = elements.OfType<JsonObject>().SelectMany(e => (e["price_components"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(c => c.Text("type") is not null).DistinctBy(c => c.Text("type"));
        decimal excl = 0, incl = 0;
        foreach (var component in components)
        {
            var volume = component.Text("type") switch
            {
                "ENERGY" => kwh,
                "TIME" => (decimal)charging.TotalHours,
                "PARKING_TIME" => (decimal)parking.TotalHours,
                "FLAT" => 1m,
                _ => 0m,
            };
            var amount = (component.Number("price") ?? 0) * volume;
            excl += amount;
            incl += amount * (1 + (component.Number("vat") ?? 0) / 100);
        }
        return new(Math.Round(excl, 2, MidpointRounding.AwayFromZero), Math.Round(incl, 2, MidpointRounding.AwayFromZero));
    }
}
