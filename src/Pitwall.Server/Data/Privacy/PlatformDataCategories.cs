namespace Pitwall.Server.Data.Privacy;

internal static class PlatformDataCategories
{
    public static DataCategory Operations { get; } = new(
        Id: "platform_operations",
        Name: "Platform operations",
        Purpose: "Run the installation: which schema migrations are applied and which instance holds which job lease.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.LifetimeOfInstallation,
        PersonalData: false,
        Tables: [new("schema_migrations"), new("leases")],
        Processors: []);
}
