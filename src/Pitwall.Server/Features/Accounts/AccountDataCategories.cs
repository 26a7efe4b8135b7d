using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Accounts;

internal static class AccountDataCategories
{
    public static DataCategory Account { get; } = new(
        Id: "account",
        Name: "Account (ID)",
        Purpose: "Identify the owner or staff member and reach them: name, e-mail, password hash, phone numbers, postal address, locale, time zone, role, and when an administrator disabled it.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.UntilAccountDeletion,
        PersonalData: true,
        Tables: [new("accounts") { AccountRows = "id = @accountId", SecretColumns = ["password_hash"] }],
        Processors: []);

    public static DataCategory SignInSessions { get; } = new(
        Id: "sign_in_sessions",
        Name: "Sign-in sessions",
        Purpose: "Keep a user signed in: hashed access and refresh tokens of each session and the scopes it was granted.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.DurationOfRequest("until the session or token expires; revoked sessions until their expiry"),
        PersonalData: true,
        Tables:
        [
            new("auth_sessions", "expires_at") { AccountRows = "account_id = @accountId" },
            new("refresh_tokens", "expires_at") { AccountRows = "session_id IN (SELECT id FROM auth_sessions WHERE account_id = @accountId)", SecretColumns = ["token_hash"] },
            new("access_tokens", "expires_at") { AccountRows = "session_id IN (SELECT id FROM auth_sessions WHERE account_id = @accountId)", SecretColumns = ["token_hash"] },
            // The OpenID Connect provider's codes and tokens (issue 20): the payload is the token itself, encrypted.
            new("oidc_tokens", "expires_at") { AccountRows = "subject = @accountId", SecretColumns = ["reference_id", "payload"] },
        ],
        Processors: []);

    public static DataCategory SecondFactors { get; } = new(
        Id: "second_factors",
        Name: "Second factor (TOTP) and recovery codes",
        Purpose: "Make sure it is the account's holder who signs in: the authenticator app's secret (encrypted with the server's data-protection keys), the last time step a code was used for, and hashed one-time recovery codes. Required for staff (who see others' cars and accounts), chosen by owners.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: new(RetentionKind.UntilAccountDeletion, null, "until the account switches it off, an administrator resets it, or the account is deleted"),
        PersonalData: true,
        Tables:
        [
            new("account_second_factors") { AccountRows = "account_id = @accountId", SecretColumns = ["secret_protected"] },
            new("account_recovery_codes") { AccountRows = "account_id = @accountId", SecretColumns = ["code_hash"] },
        ],
        Processors: []);

    public static DataCategory AppGrants { get; } = new(
        Id: "app_grants",
        Name: "Grants to apps",
        Purpose: "Remember what an account let an app do: the app, the cars and the scopes for each, when; an owner's consent to a third-party app is one.",
        LegalBasis: LegalBasis.Consent,
        Retention: new(RetentionKind.UntilAccountDeletion, null, "until the owner revokes it or the account is deleted"),
        PersonalData: true,
        Tables: [new("oidc_authorizations") { AccountRows = "subject = @accountId" }],
        Processors: []);

    public static DataCategory ApiClients { get; } = new(
        Id: "api_clients",
        Name: "Registered API clients and provider keys",
        Purpose: "Know the apps and partner back ends that may call the API (redirect URIs, scopes, hashed secrets) and sign their tokens.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.LifetimeOfInstallation,
        PersonalData: false,
        Tables: [new("oidc_applications"), new("oidc_keys")],
        Processors: []);

    public static DataCategory SignInThrottle { get; } = new(
        Id: "sign_in_throttle",
        Name: "Failed sign-in counters",
        Purpose: "Slow down password guessing: failed attempts per hashed e-mail address and the lock-out they caused.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.Days(1),
        PersonalData: true,
        Tables: [new("login_throttle", "window_started_at") { NotExportedBecause = "counted per hash of an e-mail address, whether or not it has an account" }],
        Processors: []);

    public static DataCategory SecurityLog { get; } = new(
        Id: "security_log",
        Name: "Sign-in and sign-out log",
        Purpose: "Detect attacks on accounts: sign-in, failed sign-in, second-factor (enrolled, wrong or replayed code, recovery code used, reset), lock-out, sign-out, token-replay, app-consent (given, withdrawn) and an administrator's disabling, enabling or role change of the account, events with time and account id (H6).",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: Retention.Months(12),
        PersonalData: true,
        Tables: [new("security_log", "occurred_at") { AccountRows = "account_id = @accountId", PartitionedByDay = true }],
        Processors: []);
}
