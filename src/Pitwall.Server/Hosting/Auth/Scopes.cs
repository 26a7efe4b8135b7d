namespace Pitwall.Server.Hosting.Auth;

/// <summary>
/// OAuth scopes, <c>read_&lt;domain&gt;</c> and <c>control_&lt;domain&gt;</c> (DESIGN §5). A token carries the scopes
/// asked for, limited to what the account's role may have; endpoints require one scope each.
/// </summary>
public static class Scopes
{
    public const string ReadAccount = "read_account";
    public const string ControlAccount = "control_account";
    public const string ReadVehicle = "read_vehicle";
    public const string ControlVehicle = "control_vehicle";
    public const string ReadPrivacy = "read_privacy";
    public const string ControlPrivacy = "control_privacy";
    public const string ReadSoc = "read_soc";
    public const string ControlSoc = "control_soc";
    public const string ReadAssistance = "read_assistance";
    public const string ControlAssistance = "control_assistance";
    public const string ReadDealer = "read_dealer";
    /// <summary>A dealer's staff answers service appointments (F1).</summary>
    public const string ControlDealer = "control_dealer";
    public const string ReadAuthority = "read_authority";
    /// <summary>An authority starts tracking a stolen car itself (E3).</summary>
    public const string ControlAuthority = "control_authority";
    public const string ReadAdmin = "read_admin";
    public const string ControlAdmin = "control_admin";

    /// <summary>Third-party apps' scopes (issue 20): an owner grants one app some of these for some of their cars on the consent
    /// screen; the vehicle-service gate honours them per car. No role has them; only third-party clients ask for them.</summary>
    public const string ReadVehicleInfo = "read_vehicle_info";
    public const string ReadLocation = "read_location";
    public const string ReadCharge = "read_charge";
    public const string ControlCharge = "control_charge";
    public const string ReadClimate = "read_climate";
    public const string ControlClimate = "control_climate";
    public const string ControlSecurity = "control_security";
    public const string ReadTrips = "read_trips";
    public const string ReadHealth = "read_health";

    public static IReadOnlyList<string> ThirdParty { get; } =
        [ReadVehicleInfo, ReadLocation, ReadCharge, ControlCharge, ReadClimate, ControlClimate, ControlSecurity, ReadTrips, ReadHealth];

    private static readonly string[] Personal = [ReadAccount, ControlAccount, ReadPrivacy, ControlPrivacy];

    private static readonly Dictionary<string, string[]> ByRole = new(StringComparer.Ordinal)
    {
        [Roles.Owner] = [.. Personal, ReadVehicle, ControlVehicle],
        [Roles.Driver] = [.. Personal, ReadVehicle, ControlVehicle],
        [Roles.SocOperator] = [.. Personal, ReadSoc, ControlSoc],
        [Roles.AssistanceAgent] = [.. Personal, ReadAssistance, ControlAssistance],
        [Roles.Dealer] = [.. Personal, ReadDealer, ControlDealer],
        [Roles.Authority] = [.. Personal, ReadAuthority, ControlAuthority],
        [Roles.Admin] = [.. Personal, ReadVehicle, ReadSoc, ReadAssistance, ReadDealer, ReadAdmin, ControlAdmin],
    };

    public static IReadOnlyList<string> All { get; } = ByRole.Values.SelectMany(s => s).Distinct().Order(StringComparer.Ordinal).ToList();

    public static IReadOnlyList<string> ForRole(string role) => ByRole.TryGetValue(role, out var scopes) ? scopes : [];

    /// <summary>The scopes to grant: all of the role's when none were asked for; null when one asked for is not allowed.</summary>
    public static IReadOnlyList<string>? Grant(string role, string? requested)
    {
        var allowed = ForRole(role);
        if (string.IsNullOrWhiteSpace(requested))
        {
            return allowed;
        }
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        return asked.All(s => allowed.Contains(s, StringComparer.Ordinal)) ? asked : null;
    }

    /// <summary>Narrowing only: a refreshed token can ask for fewer scopes than its session, never more.</summary>
    public static IReadOnlyList<string>? Narrow(IReadOnlyList<string> granted, string? requested)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return granted;
        }
        var asked = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        return asked.All(s => granted.Contains(s, StringComparer.Ordinal)) ? asked : null;
    }
}
