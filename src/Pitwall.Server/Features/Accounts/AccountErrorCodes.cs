namespace Pitwall.Server.Features.Accounts;

/// <summary>The stable problem codes of accounts and their passwords (clients switch on these; never rename one).</summary>
public static class AccountErrorCodes
{
    public const string EmailTaken = "email_taken";
    public const string WrongPassword = "wrong_password";
}
