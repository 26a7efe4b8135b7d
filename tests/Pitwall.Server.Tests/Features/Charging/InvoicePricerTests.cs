using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Charging.Invoices;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>Pricing a CDR by its OCPI 2.2.1 tariff in decimal: energy, charging time, parking time and a flat fee, step sizes,
/// rounding to the cent per component and VAT per rate on the invoice.</summary>
public sealed class InvoicePricerTests
{
    private static StoredCdr Cdr(JsonObject body) =>
        new("p1", "DE", "CPO", "CDR-1", "a1", "DE-PWL-C12345678-9", "S1", DateTimeOffset.Parse("2026-11-03T10:00:00Z"), DateTimeOffset.Parse("2026-11-03T11:00:00Z"),
            21.5m, 8.39m, "EUR", body, DateTimeOffset.Parse("2026-11-03T11:05:00Z"));

    private static JsonObject Component(string type, decimal price, decimal vat, int step) => new() { ["type"] = type, ["price"] = price, ["vat"] = vat, ["step_size"] = step };

    [Fact]
    public void Every_component_is_priced_with_its_step_size_and_the_vat_is_rounded_once_per_rate()
    {
        var tariff = new JsonObject
        {
            ["id"] = "T1",
            ["currency"] = "EUR",
            ["elements"] = new JsonArray(
                new JsonObject { ["price_components"] = new JsonArray(Component("ENERGY", 0.39m, 19, 1), Component("FLAT", 0.50m, 19, 1)) },
                new JsonObject { ["price_components"] = new JsonArray(Component("TIME", 1.20m, 19, 60), Component("PARKING_TIME", 6.00m, 7, 900)) }),
        };
        var body = new JsonObject
        {
            ["tariffs"] = new JsonArray(tariff),
            ["charging_periods"] = new JsonArray(new JsonObject
            {
                ["tariff_id"] = "T1",
                ["dimensions"] = new JsonArray(
                    new JsonObject { ["type"] = "ENERGY", ["volume"] = 21.5m },
                    new JsonObject { ["type"] = "TIME", ["volume"] = 0.7514m },          // 2705 s → 46 whole minutes
                    new JsonObject { ["type"] = "PARKING_TIME", ["volume"] = 0.2m }),   // 720 s → one 15-minute step
            }),
            ["cdr_location"] = new JsonObject { ["name"] = "Quadrate", ["city"] = "Mannheim" },
        };
        var item = InvoicePricer.Price(Cdr(body), null);
        Assert.Equal(["ENERGY", "TIME", "PARKING_TIME", "FLAT"], item.Components.Select(c => c.Type));
        Assert.Equal([8.39m, 0.92m, 1.50m, 0.50m], item.Components.Select(c => c.Net)); // 8.385 rounds half away from zero
        Assert.Equal(0.25m, item.Components[2].Quantity);
        var vat = InvoiceNumbers.Vat([item]);
        Assert.Equal([new VatAmount(7, 1.50m, 0.11m), new VatAmount(19, 9.81m, 1.86m)], vat); // 0.105 → 0.11; 1.8639 → 1.86
        Assert.Equal(11.31m, item.Net);
        Assert.Equal(13.28m, item.Net + vat.Sum(v => v.Vat));
    }

    [Fact]
    public void Each_charging_period_is_priced_by_the_tariff_elements_its_restrictions_make_active_in_the_local_time()
    {
        JsonObject Element(JsonObject restrictions, params JsonObject[] components) => new() { ["price_components"] = new JsonArray(components), ["restrictions"] = restrictions };
        var tariff = new JsonObject
        {
            ["id"] = "DAYNIGHT",
            ["currency"] = "EUR",
            ["elements"] = new JsonArray(
                Element(new JsonObject { ["reservation"] = "RESERVATION" }, Component("ENERGY", 9.99m, 19, 1)),              // never for a charge
                Element(new JsonObject { ["day_of_week"] = new JsonArray("SATURDAY", "SUNDAY") }, Component("FLAT", 1.00m, 19, 1)), // a Tuesday
                Element(new JsonObject { ["start_time"] = "08:00", ["end_time"] = "20:00" }, Component("ENERGY", 0.49m, 19, 1)),
                Element(new JsonObject { ["min_kwh"] = 8 }, Component("TIME", 1.20m, 19, 1)),                             // after 8 kWh
                new JsonObject { ["price_components"] = new JsonArray(Component("ENERGY", 0.29m, 19, 1)) }),                 // otherwise
        };
        var body = new JsonObject
        {
            ["tariffs"] = new JsonArray(tariff),
            ["charging_periods"] = new JsonArray(
                new JsonObject // 19:30 in Berlin (UTC+1 in November): the day price; no time fee yet (0 kWh so far)
                {
                    ["start_date_time"] = "2026-11-03T18:30:00Z", ["tariff_id"] = "DAYNIGHT",
                    ["dimensions"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["volume"] = 10m }, new JsonObject { ["type"] = "TIME", ["volume"] = 0.5m }),
                },
                new JsonObject // 20:00 in Berlin: the night price, and 10 kWh so far start the time fee
                {
                    ["start_date_time"] = "2026-11-03T19:00:00Z", ["tariff_id"] = "DAYNIGHT",
                    ["dimensions"] = new JsonArray(new JsonObject { ["type"] = "ENERGY", ["volume"] = 5m }, new JsonObject { ["type"] = "TIME", ["volume"] = 0.25m }),
                }),
        };
        var cdr = Cdr(body) with { StartAt = DateTimeOffset.Parse("2026-11-03T18:30:00Z") };
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var item = InvoicePricer.Price(cdr, null, berlin);
        Assert.Equal([("ENERGY", 10m, 0.49m, 4.90m), ("ENERGY", 5m, 0.29m, 1.45m), ("TIME", 0.25m, 1.20m, 0.30m)],
            item.Components.Select(c => (c.Type, c.Quantity, c.UnitPrice, c.Net)));

        // In UTC the second period (19:00) is still day time: the zone decides.
        Assert.Equal([7.35m, 0.30m], InvoicePricer.Price(cdr, null, TimeZoneInfo.Utc).Components.Select(c => c.Net)); // 15 kWh at 0.49
    }

    [Fact]
    public void Without_a_tariff_the_operators_total_is_billed_with_the_vat_rate_it_implies()
    {
        var body = new JsonObject { ["total_cost"] = new JsonObject { ["excl_vat"] = 8.39m, ["incl_vat"] = 9.98m } };
        var item = InvoicePricer.Price(Cdr(body), null);
        var total = Assert.Single(item.Components);
        Assert.Equal(("TOTAL", 8.39m, 19m), (total.Type, total.Net, total.VatRate));
        Assert.Equal(1.59m, InvoiceNumbers.Vat([item]).Single().Vat);
    }

    [Fact]
    public void Numbers_have_two_gapless_series_per_year()
    {
        Assert.Equal("PWL-2026-000042", InvoiceNumbers.Format("PWL", InvoiceNumbers.Invoice, 2026, 42));
        Assert.Equal("PWL-CN-2026-000001", InvoiceNumbers.Format("PWL", InvoiceNumbers.CreditNote, 2026, 1));
        Assert.NotEqual(InvoiceNumbers.Series(InvoiceNumbers.Invoice, 2026), InvoiceNumbers.Series(InvoiceNumbers.CreditNote, 2026));
    }
}
