using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>
/// Prices a CDR for the invoice by its OCPI 2.2.1 tariff, in <see cref="decimal"/>: the tariff the CDR names in its charging periods
/// (the copy the CDR carries in <c>tariffs</c>, else the one the operator pushed), per price component <c>ENERGY</c> (per kWh),
/// <c>TIME</c> (per hour charging), <c>PARKING_TIME</c> (per hour parked) and <c>FLAT</c> (once), each with its own VAT rate.
/// Each charging period is priced by the tariff elements active at its start (<see cref="TariffRestrictions"/>: time of day, date, day
/// of week, energy so far, duration, power, current; per component type the first active element that has one); a CDR without
/// periods is one period of its totals. The volumes priced alike are summed over the charge and a component's <c>step_size</c> (Wh,
/// seconds) rounds that sum up to whole steps. <c>FLAT</c> is billed once, by the element active when the charge began. Each component's net amount is rounded half away from zero to the cent; VAT is computed per rate
/// on the invoice (<see cref="InvoiceNumbers.Vat"/>). When no tariff is known the CDR's own <c>total_cost</c> is billed as one
/// <c>TOTAL</c> component, its VAT rate derived from the operator's figures.
/// </summary>
internal static class InvoicePricer
{
    public static InvoiceItem Price(StoredCdr cdr, JsonObject? storedTariff, TimeZoneInfo? zone = null)
    {
        var body = cdr.Body;
        var periods = (body["charging_periods"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var tariffId = periods.Select(p => p.Text("tariff_id")).FirstOrDefault(t => t is not null);
        var tariff = (body["tariffs"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(t => tariffId is null || t.Text("id") == tariffId) ?? storedTariff;
        var location = body["cdr_location"] as JsonObject ?? [];
        var components = tariff?["elements"] is JsonArray ? Components(tariff, periods, body, cdr.StartAt, zone ?? TimeZoneInfo.Utc) : [];
        if (components.Count == 0)
        {
            components = [Total(body, cdr.TotalCost)];
        }
        return new(cdr.Id, cdr.SessionId, $"{cdr.CountryCode}*{cdr.PartyId}", location.Text("name") ?? location.Text("address"), location.Text("city"),
            location.Text("evse_id"), cdr.StartAt, cdr.EndAt, cdr.TotalEnergy, tariff?.Text("id") ?? tariffId, components);
    }

    private static List<InvoiceComponent> Components(JsonObject tariff, List<JsonObject> periods, JsonObject cdr, DateTimeOffset sessionStart, TimeZoneInfo zone)
    {
        var elements = ((JsonArray)tariff["elements"]!).OfType<JsonObject>().ToList();
        // Per component type, price and step: the volume charged at that price (an element active at a period's start prices it).
        var groups = new List<(JsonObject Component, decimal Volume)>();
        void Add(JsonObject component, decimal volume)
        {
            var i = groups.FindIndex(g => ReferenceEquals(g.Component, component));
            if (i < 0)
            {
                groups.Add((component, volume));
            }
            else
            {
                groups[i] = (component, groups[i].Volume + volume);
            }
        }
        var energySoFar = 0m;
        var first = true;
        var ordered = Periods(periods, cdr).ToList();
        var inPeriods = ordered.SelectMany(p => Dimensions(p).Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var period in ordered)
        {
            var at = OcpiJson.TryParseTime(period.Text("start_date_time"), out var started) ? started : sessionStart;
            var dimensions = Dimensions(period);
            if (first)
            {
                // A volume no period reports comes from the CDR's totals, priced as of the charge's start.
                foreach (var (type, field) in Totals.Where(t => !inPeriods.Contains(t.Type)))
                {
                    dimensions[type] = cdr.Number(field);
                }
            }
            var moment = new ChargeMoment(at, sessionStart, energySoFar, Power(dimensions), dimensions.GetValueOrDefault("MAX_CURRENT") ?? dimensions.GetValueOrDefault("CURRENT"), zone);
            foreach (var type in first ? Types.Append("FLAT") : Types)
            {
                var volume = type == "FLAT" ? 1m : dimensions.GetValueOrDefault(type) ?? 0;
                if (volume > 0 && Active(elements, type, moment) is { } component)
                {
                    Add(component, volume);
                }
            }
            energySoFar += dimensions.GetValueOrDefault("ENERGY") ?? 0;
            first = false;
        }
        var result = new List<InvoiceComponent>();
        foreach (var (component, volume) in groups.OrderBy(g => Order(g.Component.Text("type")!)))
        {
            var type = component.Text("type")!;
            var price = component.Number("price") ?? 0;
            var step = component.Number("step_size") is { } s && s > 0 ? s : 1;
            var quantity = type switch
            {
                "ENERGY" => Steps(volume * 1000, step) / 1000,   // kWh, stepped in Wh
                "TIME" or "PARKING_TIME" => Steps(volume * 3600, step) / 3600, // hours, stepped in seconds
                _ => 1m,
            };
            if (quantity == 0 || price == 0)
            {
                continue;
            }
            result.Add(new(type, Math.Round(quantity, 6), price, Math.Round(quantity * price, 2, MidpointRounding.AwayFromZero), component.Number("vat") ?? 0));
        }
        return result;
    }

    private static readonly string[] Types = ["ENERGY", "TIME", "PARKING_TIME"];

    private static readonly (string Type, string Field)[] Totals = [("ENERGY", "total_energy"), ("TIME", "total_time"), ("PARKING_TIME", "total_parking_time")];

    /// <summary>The price component of the type from the first tariff element that has one and whose restrictions hold (OCPI: the
    /// elements are tried in order; a component type missing from an active element falls through to the next).</summary>
    private static JsonObject? Active(List<JsonObject> elements, string type, ChargeMoment moment) =>
        elements.Where(e => TariffRestrictions.Apply(e["restrictions"] as JsonObject, moment))
            .Select(e => (e["price_components"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Text("type") == type))
            .FirstOrDefault(c => c is not null);

    private static int Order(string type) => type switch { "ENERGY" => 0, "TIME" => 1, "PARKING_TIME" => 2, "FLAT" => 3, _ => 4 };

    private static decimal Steps(decimal volume, decimal step) => volume <= 0 ? 0 : Math.Ceiling(volume / step) * step;

    /// <summary>The charging periods, oldest first; without any, one empty period from the CDR's start.</summary>
    private static IEnumerable<JsonObject> Periods(List<JsonObject> periods, JsonObject cdr)
    {
        if (periods.Count > 0)
        {
            return periods.OrderBy(p => OcpiJson.TryParseTime(p.Text("start_date_time"), out var at) ? at : DateTimeOffset.MinValue);
        }
        return [new JsonObject { ["dimensions"] = new JsonArray() }]; // the CDR's totals are added to the first period
    }

    private static Dictionary<string, decimal?> Dimensions(JsonObject period)
    {
        var volumes = new Dictionary<string, decimal?>(StringComparer.Ordinal);
        foreach (var dimension in (period["dimensions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            if (dimension.Text("type") is { } type && dimension.Number("volume") is { } volume)
            {
                volumes[type] = (volumes.GetValueOrDefault(type) ?? 0) + volume;
            }
        }
        return volumes;
    }

    /// <summary>kW: the period's MAX_POWER or POWER, else its energy over its charging time.</summary>
    private static decimal? Power(Dictionary<string, decimal?> d) =>
        d.GetValueOrDefault("MAX_POWER") ?? d.GetValueOrDefault("POWER")
        ?? (d.GetValueOrDefault("ENERGY") is { } kwh && d.GetValueOrDefault("TIME") is { } hours && hours > 0 ? kwh / hours : null);

    private static InvoiceComponent Total(JsonObject cdr, decimal exclVat)
    {
        var cost = cdr["total_cost"] as JsonObject;
        var net = cost?.Number("excl_vat") ?? exclVat;
        var gross = cost?.Number("incl_vat");
        var rate = gross is { } g && net > 0 ? Math.Round((g / net - 1) * 100, 0, MidpointRounding.AwayFromZero) : 0;
        return new("TOTAL", 1, net, Math.Round(net, 2, MidpointRounding.AwayFromZero), rate);
    }
}
