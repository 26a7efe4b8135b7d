using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Gateway;

internal static class GatewayDataCategories
{
    public static DataCategory Link { get; } = new(
        Id: "vehicle_link",
        Name: "Vehicle link state",
        Purpose: "Deliver messages to and from each car exactly once: sequence numbers, what the car said at login " +
                 "(protocol and software versions, supported signals, privacy switches) and when it was last seen.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.OverwriteOnChange,
        PersonalData: true,
        Tables:
        [
            new("vehicle_link") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
            new("vehicle_cloud_seq") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
            new("vehicle_car_marks") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
            new("vehicle_cloud_acks") { AccountRows = CategoryTable.RowsOfTheAccountsCars },
        ],
        Processors: []);

    public static DataCategory Outbox { get; } = new(
        Id: "vehicle_outbox",
        Name: "Messages waiting for a car",
        Purpose: "Keep messages for a car (data requests, pairing codes, commands) until the car confirms them.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.DurationOfRequest("until the car confirms the message or the message expires"),
        PersonalData: true,
        Tables: [new("vehicle_outbox", "expires_at") { AccountRows = CategoryTable.RowsOfTheAccountsCars }],
        Processors: []);

    public static DataCategory Logins { get; } = new(
        Id: "vehicle_logins",
        Name: "Car login and logout events",
        Purpose: "Detect attacks on the vehicle link (REQUIREMENTS H6): when each car logged in and out.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.Months(12),
        PersonalData: true,
        Tables:
        [
            // A user's export holds the events from the time they have had the car, not its earlier owners'.
            new("vehicle_logins", "occurred_at")
            {
                AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("vehicle_logins", "occurred_at"),
                PartitionedByDay = true,
            },
        ],
        Processors: []);

    public static DataCategory Challenges { get; } = new(
        Id: "vehicle_login_challenges",
        Name: "Vehicle login challenges",
        Purpose: "One-time challenges that let a car prove it holds its secret without sending it (A2, E5).",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.DurationOfRequest("until the challenge expires (one minute)"),
        PersonalData: false,
        Tables: [new("vehicle_auth_nonces", "expires_at") { NotExportedBecause = "one-minute login challenges of the car" }],
        Processors: []);
}
