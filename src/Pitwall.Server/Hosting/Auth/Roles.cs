namespace Pitwall.Server.Hosting.Auth;

/// <summary>The roles of DESIGN §5. An account has one; per-vehicle rights (owner versus driver) come with pairing.</summary>
public static class Roles
{
    public const string Owner = "owner";
    public const string Driver = "driver";
    public const string SocOperator = "soc_operator";
    public const string AssistanceAgent = "assistance_agent";
    public const string Dealer = "dealer";
    public const string Authority = "authority";
    public const string Admin = "admin";

    public static IReadOnlyList<string> All { get; } = [Owner, Driver, SocOperator, AssistanceAgent, Dealer, Authority, Admin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}
