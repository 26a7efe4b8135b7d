using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.SmartService;

/// <summary>What the Smart Service keeps (REQUIREMENTS F1, P3–P5): the logs it predicts from and the health it derives (for the
/// service itself, contract), and the product observation (legitimate interest, 10 or 30 years per market).</summary>
internal static class SmartServiceDataCategories
{
    public static readonly DataCategory Logs = new(
        "smart_service_logs", "Smart Service logs",
        "Determine the technical state of the car's components from the service logs it sends (identification, fault memory, condition " +
        "and usage data), derive upcoming maintenance and repairs and show them to the car's users, in the car and to the dealer they choose.",
        LegalBasis.Contract, Retention.Years(3), true,
        [
            new("service_logs", "received_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("service_logs", "received_at") },
            new("service_conditions", "recorded_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("service_conditions", "recorded_at") },
            new("service_faults", "last_seen") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("service_faults", "last_seen") },
        ], []);

    public static readonly DataCategory Health = new(
        "smart_service_health", "Smart Service health and predicted maintenance",
        "The state of each component and the predicted date and mileage of its next maintenance, as shown in the app, the portal and the car.",
        LegalBasis.Contract, Retention.OverwriteOnChange, true,
        [
            new("service_health") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
            new("service_pending") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
        ], []);

    /// <summary>Each row carries its own deletion time (its creation plus its market's period, <see cref="CarMarkets"/>), so every
    /// market's period holds exactly, whatever the others are; the register shows the periods this installation is set to.</summary>
    public static DataCategory ProductObservation(SmartServiceOptions options) => new(
        "product_observation", "Product observation (Smart Service logs)",
        "Improve and develop the service and the products, observe the products in the field and defend or assert legal claims, from the " +
        "technical content of the service logs. A row's market is the country of the car's owner, set within a minute of the log's arrival by " +
        "the prediction job or when the car leaves its owner (the account's postal address, else the region of its locale; a car without " +
        $"an owner, or an owner who gives neither, takes the installation's market {options.Market}): it decides which notice applies and so how long the row is kept — at most 10 years from creation in the " +
        "French-language notice, 30 years in the German-language notice for Austria. When the car leaves its owner (unpairing, account " +
        "erasure) the VIN is removed: only de-identified rows (model, model year, market, day, technical content) stay.",
        LegalBasis.LegitimateInterest,
        Retention.YearsPerMarket(options.ProductObservationYears, options.ProductObservationDefaultYears,
            $"{SmartServiceOptions.Section}:{nameof(SmartServiceOptions.ProductObservationYears)}"),
        true,
        [new("product_observation", "delete_after") { AccountRows = CategoryTable.RowsOfTheAccountsCars }], []);
}
