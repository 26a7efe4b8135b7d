using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The data categories of dealers and appointments (P3–P5).</summary>
internal static class DealerDataCategories
{
    /// <summary>The car's data stays readable for dealers as long as it is stored (the seeds: 30 years); so do the choice that
    /// allows it and the log of the reads.</summary>
    public static readonly Retention AsLongAsStored = new(RetentionKind.Period, TimeSpan.FromDays(30 * 365),
        "as long as the car's data is stored (at most 30 years)");

    public static readonly IReadOnlyList<DataCategory> All =
    [
        new("dealer_directory", "Dealer directory",
            "Find a workshop and navigate to it (F1): the dealers' names, addresses, positions, opening hours and services.",
            LegalBasis.LegitimateInterest, Retention.LifetimeOfInstallation, false, [new("dealers")], []),
        new("dealer_staff", "Dealer staff accounts",
            "Let a dealer's staff work in the dealer console: which dealer an account with the role dealer works for.",
            LegalBasis.LegitimateInterest, Retention.UntilAccountDeletion, true,
            [new("dealer_staff") { AccountRows = "account_id = @accountId" }], []),
        new("dealer_access", "Dealer access",
            "Let the dealer of the owner's choice, or the dealer with an open appointment, read the data the car transmitted (health, faults, logs) by VIN to serve the customer, and show the owner every such read.",
            LegalBasis.LegitimateInterest, AsLongAsStored, true,
            [
                new("preferred_dealers", "chosen_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("preferred_dealers", "chosen_at") },
                new("dealer_access_log", "read_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("dealer_access_log", "read_at"), SecretColumns = ["account_id"] },
            ],
            []),
        new("service_appointments", "Service appointments",
            "Book a service appointment with a dealer (F1): the wished times, the reason, the dealer's answer; kept while the car is the account's.",
            LegalBasis.Contract, Retention.UntilAccountDeletion, true,
            [new("service_appointments") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("service_appointments", "created_at") }], []),
    ];
}
