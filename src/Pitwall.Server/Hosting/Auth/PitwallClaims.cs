using System.Security.Claims;

namespace Pitwall.Server.Hosting.Auth;

/// <summary>The claims a Pitwall principal carries, and typed access to them.</summary>
public static class PitwallClaims
{
    public const string AccountId = "sub";
    public const string Role = "role";
    public const string Scope = "scope";
    public const string SessionId = "sid";

    public static string AccountIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(AccountId) ?? throw new InvalidOperationException("The request is not authenticated.");

    public static string SessionIdOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(SessionId) ?? throw new InvalidOperationException("The request is not authenticated.");
}
