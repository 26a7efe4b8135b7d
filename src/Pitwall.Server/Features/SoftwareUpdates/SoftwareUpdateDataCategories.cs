using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The data categories of software updates (P3–P5).</summary>
internal static class SoftwareUpdateDataCategories
{
    public static readonly DataCategory Catalogue = new("software_catalogue", "Software catalogue",
        "Offer software updates (F3): the software modules, their files and hashes, the distribution sets per model, model year and hardware variant, "
        + "and the campaigns that roll them out.",
        LegalBasis.LegitimateInterest, Retention.LifetimeOfInstallation, false,
        [new("sw_modules"), new("sw_artifacts"), new("sw_distribution_sets"), new("sw_set_modules"), new("sw_campaigns")], []);

    private const string ActionsOfTheCar = "controller_id IN (SELECT controller_id FROM sw_targets WHERE vin = @car)";

    public static readonly DataCategory State = new("software_state", "Software, update and version state",
        "Bring updates to the car and document per car what it runs (F3): its update targets and their reported attributes, the owner's "
        + "preferences per update kind, the updates assigned to it (and the campaign wave it was in) and every status it reported while downloading and installing them.",
        LegalBasis.Contract, Retention.UntilVehicleDeregistered, true,
        [
            new("sw_targets") { AccountRows = CategoryTable.RowsOfTheAccountsCars, SecretColumns = ["token_hash"] },
            new("sw_preferences") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
            new("sw_actions") { AccountRows = $"{ActionsOfTheCar} AND created_at >= @carSince" },
            new("sw_campaign_targets") { AccountRows = ActionsOfTheCar },
            new("sw_action_status")
            {
                AccountRows = $"action_id IN (SELECT id FROM sw_actions WHERE {ActionsOfTheCar}) AND at >= @carSince",
            },
        ], []);

    public static readonly DataCategory Manifests = new("software_manifests", "Vehicle version manifests",
        "Document per car what each of its components runs, as the car signed it (Uptane's vehicle manifest: version, image hash and length, "
        + "the car's public key), so that updates go only where they fit and the software of each vehicle is on record as UN Regulation No. 156 "
        + "requires of the manufacturer's software update management system. Only the latest manifest per car is kept.",
        LegalBasis.LegalObligation, Retention.OverwriteOnChange, true,
        [new("sw_manifests") { AccountRows = ActionsOfTheCar }], []);
}
