namespace Pitwall.Server.Features.Accounts;

/// <summary>The stable problem codes of accounts and their passwords (clients switch on these; never rename one).</summary>
public static class AccountErrorCodes
{
    public const string EmailTaken = "email_taken";
    public const string WrongPassword = "wrong_password";

    /// <summary>A secret was asked for an app (a public client), which has none.</summary>
    public const string ClientHasNoSecret = "client_has_no_secret";

    /// <summary>The first-party app is Pitwall's own registration and cannot be removed.</summary>
    public const string ClientBuiltIn = "client_built_in";

    /// <summary>An administrator tried to disable their own account or take away its admin role.</summary>
    public const string OwnAccount = "own_account";
}
