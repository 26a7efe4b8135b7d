namespace Pitwall.Server.Data.Privacy;

internal static class PlatformDataCategories
{
    public static DataCategory Operations { get; } = new(
        Id: "platform_operations",
        Name: "Platform operations",
        Purpose: "Run the installation: which schema migrations are applied, which instance holds which job lease, which instances are alive " +
                 "(their heartbeats), and the keys that protect the web portal's cookies and forms (shared by every instance).",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.LifetimeOfInstallation,
        PersonalData: false,
        Tables: [new("schema_migrations"), new("leases"), new("cluster_instances"), new("data_protection_keys")],
        Processors: []);
}
