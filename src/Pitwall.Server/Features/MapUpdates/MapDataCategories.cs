using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.MapUpdates;

/// <summary>The data categories of online map update (P3–P5) and the map distribution as a processor (P4).</summary>
internal static class MapDataCategories
{
    /// <summary>The map data provider's side: it serves the packages to the cars. It gets the package a car asks for (region and
    /// versions) and an anonymous token that Pitwall blind-signed — no VIN, no account, no name, no address of the car (the seed:
    /// "keinerlei Informationen, die Ihrer Person zugeordnet werden können"). Its own log holds only the package, the answer and
    /// the bytes.</summary>
    public static readonly Processor Distribution = new("Map distribution (the map data provider's servers, /map-distribution/v1)",
        "delivers the map packages to the cars against anonymous tokens; learns which package was fetched, never by which car", true,
        DataElement.MapPackage, DataElement.AnonymousToken);

    public static readonly DataCategory Catalogue = new("map_catalogue", "Map data catalogue",
        "Offer map updates (F5, H3): the map regions and versions built from OpenStreetMap extracts, and the packages between versions.",
        LegalBasis.LegitimateInterest, Retention.LifetimeOfInstallation, false,
        [new("map_releases"), new("map_packages")], []);

    public static readonly DataCategory CarVersions = new("map_car_versions", "Map version per car",
        "Answer the car's question at every start whether newer map data exists for the version and region it has (F5): the region and "
        + "version it reported last. The map distribution gets a region and version with an anonymous token, never the VIN.",
        LegalBasis.Contract, Retention.OverwriteOnChange, true,
        [new("map_car_versions") { AccountRows = CategoryTable.RowsOfTheAccountsCars }], [Distribution]);

    public static readonly DataCategory Deliveries = new("map_deliveries", "Map update documentation",
        "Document each map update of a car (F5: \"dieser Vorgang wird in unserem System dokumentiert\"): the region, the versions, the "
        + "packages offered and what the car reported. Which token the car used is never known to Pitwall. Kept 12 months (the seed "
        + "gives no period; the notice keeps usage records 12 months).",
        LegalBasis.Contract, Retention.Months(12), true,
        [new("map_deliveries", "offered_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("map_deliveries", "offered_at") }], []);

    public static readonly DataCategory SpentTokens = new("map_spent_tokens", "Spent map tokens",
        "Refuse a map token used twice (RFC 9578 double-spend check): the SHA-256 of each accepted token's random nonce. The nonce was "
        + "chosen by the car and hidden from the issuer, so it leads to no car or account. Kept as long as the issuer key that signed the tokens "
        + "(a token stays valid while its key does).",
        LegalBasis.LegitimateInterest, Retention.LifetimeOfInstallation, false,
        [new("map_spent_tokens") { NotExportedBecause = "anonymous: a token's nonce cannot be linked to a car or an account" }], []);
}
