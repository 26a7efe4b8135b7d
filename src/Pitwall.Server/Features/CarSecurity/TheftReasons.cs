using Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The names of theft trigger reasons, case states and outcomes in the API and the database.</summary>
public static class TheftReasons
{
    public const string UnauthorisedMovement = "unauthorised_movement";
    public const string Tampering = "tampering";
    public const string Alarm = "alarm";
    public const string RemoteRequest = "remote_request";

    /// <summary>The reasons an owner may switch off for a time (E1); a requested tracking never is.</summary>
    public static readonly IReadOnlyList<string> Switchable = [UnauthorisedMovement, Tampering, Alarm];

    public static string Of(TheftReason reason) => reason switch
    {
        TheftReason.UnauthorisedMovement => UnauthorisedMovement,
        TheftReason.Tampering => Tampering,
        TheftReason.Alarm => Alarm,
        TheftReason.RemoteRequest => RemoteRequest,
        _ => UnauthorisedMovement,
    };

    public static TheftReason ToProto(string reason) => reason switch
    {
        UnauthorisedMovement => TheftReason.UnauthorisedMovement,
        Tampering => TheftReason.Tampering,
        Alarm => TheftReason.Alarm,
        _ => TheftReason.RemoteRequest,
    };

    public static string Antenna(AntennaState state) => state switch
    {
        AntennaState.Ok => "ok",
        AntennaState.NoSignal => "no_signal",
        AntennaState.Disconnected => "disconnected",
        AntennaState.ShortCircuit => "short_circuit",
        _ => "unknown",
    };

    public static string Phase(TheftTracking.Types.Phase phase) => phase switch
    {
        TheftTracking.Types.Phase.Started => "started",
        TheftTracking.Types.Phase.Ended => "ended",
        _ => "tracking",
    };
}

public static class CaseStates
{
    public const string Open = "open";
    public const string HandedOver = "handed_over";
    public const string Closed = "closed";
}

public static class CaseSources
{
    public const string Car = "car";
    public const string Owner = "owner";
    public const string Authority = "authority";
}

public static class CaseOutcomes
{
    public const string FalseAlarm = "false_alarm";
    public const string TheftConfirmed = "theft_confirmed";
    public const string Recovered = "recovered";

    public static readonly IReadOnlyList<string> All = [FalseAlarm, TheftConfirmed, Recovered];
}

public static class ContactOutcomes
{
    public const string Reached = "reached";

    public static readonly IReadOnlyList<string> All = [Reached, "no_answer", "busy", "voicemail", "wrong_number"];
}

/// <summary>Who did something to a case, for the audit log.</summary>
internal sealed record Actor(string? AccountId, string Role)
{
    public static readonly Actor Car = new(null, "car");
}
