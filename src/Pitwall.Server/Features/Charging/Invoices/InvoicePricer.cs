using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>
/// Prices a CDR for the invoice by its OCPI 2.2.1 tariff, in <see cref="decimal"/>: the tariff the CDR names in its charging periods
/// (the copy the CDR carries in <c>tariffs</c>, else the one the operator pushed), per price component <c>ENERGY</c> (per kWh),
/// <c>TIME</c> (per hour charging), <c>PARKING_TIME</c> (per hour parked) and <c>FLAT</c> (once), each with its own VAT rate.
/// Volumes are the charging periods' dimensions summed over the charge; a component's <c>step_size</c> (Wh, seconds) rounds the
/// charge's volume up to whole steps. Of each component type the first tariff element that has one counts (restrictions such as the
/// time of day are not evaluated). Each component's net amount is rounded half away from zero to the cent; VAT is computed per rate
/// on the invoice (<see cref="InvoiceNumbers.Vat"/>). When no tariff is known the CDR's own <c>total_cost</c> is billed as one
/// <c>TOTAL</c> component, its VAT rate derived from the operator's figures.
/// </summary>
internal static class InvoicePricer
{
    public static InvoiceItem Price(StoredCdr cdr, JsonObject? storedTariff)
    {
        var body = cdr.Body;
        var periods = (body["charging_periods"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var tariffId = periods.Select(p => p.Text("tariff_id")).FirstOrDefault(t => t is not null);
        var tariff = (body["tariffs"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(t => tariffId is null || t.Text("id") == tariffId) ?? storedTariff;
        var location = body["cdr_location"] as JsonObject ?? [];
        var components = tariff?["elements"] is JsonArray ? Components(tariff, periods, body) : [];
        if (components.Count == 0)
        {
            components = [Total(body, cdr.TotalCost)];
        }
        return new(cdr.Id, cdr.SessionId, $"{cdr.CountryCode}*{cdr.PartyId}", location.Text("name") ?? location.Text("address"), location.Text("city"),
            location.Text("evse_id"), cdr.StartAt, cdr.EndAt, cdr.TotalEnergy, tariff?.Text("id") ?? tariffId, components);
    }

    private static List<InvoiceComponent> Components(JsonObject tariff, List<JsonObject> periods, JsonObject cdr)
    {
        var volumes = Volumes(periods, cdr);
        var components = ((JsonArray)tariff["elements"]!).OfType<JsonObject>()
            .SelectMany(e => (e["price_components"] as JsonArray)?.OfType<JsonObject>() ?? [])
            .Where(c => c.Text("type") is not null).DistinctBy(c => c.Text("type"));
        var result = new List<InvoiceComponent>();
        foreach (var component in components.OrderBy(c => Order(c.Text("type")!)))
        {
            var type = component.Text("type")!;
            var price = component.Number("price") ?? 0;
            var step = component.Number("step_size") is { } s && s > 0 ? s : 1;
            var quantity = type switch
            {
                "ENERGY" => Steps(volumes.GetValueOrDefault("ENERGY") * 1000, step) / 1000,   // kWh, stepped in Wh
                "TIME" => Steps(volumes.GetValueOrDefault("TIME") * 3600, step) / 3600,       // hours, stepped in seconds
                "PARKING_TIME" => Steps(volumes.GetValueOrDefault("PARKING_TIME") * 3600, step) / 3600,
                "FLAT" => 1m,
                _ => 0m,
            };
            if (quantity == 0 || price == 0)
            {
                continue;
            }
            result.Add(new(type, Math.Round(quantity, 6), price, Math.Round(quantity * price, 2, MidpointRounding.AwayFromZero), component.Number("vat") ?? 0));
        }
        return result;
    }

    private static int Order(string type) => type switch { "ENERGY" => 0, "TIME" => 1, "PARKING_TIME" => 2, "FLAT" => 3, _ => 4 };

    private static decimal Steps(decimal volume, decimal step) => volume <= 0 ? 0 : Math.Ceiling(volume / step) * step;

    /// <summary>kWh of energy and hours of charging and parking: the charging periods' dimensions, else the CDR's totals.</summary>
    private static Dictionary<string, decimal> Volumes(List<JsonObject> periods, JsonObject cdr)
    {
        var volumes = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var dimension in periods.SelectMany(p => (p["dimensions"] as JsonArray)?.OfType<JsonObject>() ?? []))
        {
            if (dimension.Text("type") is { } type && dimension.Number("volume") is { } volume)
            {
                volumes[type] = volumes.GetValueOrDefault(type) + volume;
            }
        }
        if (!volumes.ContainsKey("ENERGY") && cdr.Number("total_energy") is { } energy)
        {
            volumes["ENERGY"] = energy;
        }
        if (!volumes.ContainsKey("TIME") && cdr.Number("total_time") is { } time)
        {
            volumes["TIME"] = time;
        }
        if (!volumes.ContainsKey("PARKING_TIME") && cdr.Number("total_parking_time") is { } parking)
        {
            volumes["PARKING_TIME"] = parking;
        }
        return volumes;
    }

    private static InvoiceComponent Total(JsonObject cdr, decimal exclVat)
    {
        var cost = cdr["total_cost"] as JsonObject;
        var net = cost?.Number("excl_vat") ?? exclVat;
        var gross = cost?.Number("incl_vat");
        var rate = gross is { } g && net > 0 ? Math.Round((g / net - 1) * 100, 0, MidpointRounding.AwayFromZero) : 0;
        return new("TOTAL", 1, net, Math.Round(net, 2, MidpointRounding.AwayFromZero), rate);
    }
}
