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

    public static DataCategory RateLimits { get; } = new(
        Id: "rate_limit_windows",
        Name: "Request counters of rate limits",
        Purpose: "Limit how often an account starts pairings and asks a car for fresh data, over all instances: per account (and car) " +
                 "a count of requests in the current window, stored under a hash of the account and car.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.DurationOfRequest("until the window ends (one minute to one hour)"),
        PersonalData: true,
        Tables:
        [
            new("rate_limit_windows", "expires_at")
            {
                NotExportedBecause = "hashed request counters of at most the last hour, which name no account or car",
            },
        ],
        Processors: []);
}
