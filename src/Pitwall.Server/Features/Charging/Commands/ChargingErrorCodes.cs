namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>The Charging Service's problem codes (docs/api-guide.md lists them).</summary>
internal static class ChargingErrorCodes
{
    /// <summary>No operator published a station with this EVSE ID.</summary>
    public const string UnknownEvse = "unknown_evse";

    /// <summary>The station's operator takes no remote commands (no OCPI commands endpoint).</summary>
    public const string CommandsNotSupported = "charging_commands_not_supported";

    /// <summary>Pitwall's own authorisation of the account's app token refused (e.g. the contract's car is no longer the account's).</summary>
    public const string ChargingNotAllowed = "charging_not_allowed";

    /// <summary>The charging session has ended already: there is nothing to stop.</summary>
    public const string SessionEnded = "charging_session_ended";
}

/// <summary>The Charging Service's expected refusals.</summary>
internal static class ChargingRefusals
{
    public static readonly Hosting.Refusal UnknownEvse =
        new(StatusCodes.Status404NotFound, ChargingErrorCodes.UnknownEvse, "No station with this EVSE ID is known.");

    public static readonly Hosting.Refusal CommandsNotSupported =
        Hosting.Refusal.Conflict(ChargingErrorCodes.CommandsNotSupported, "This station's operator does not take remote commands.");

    public static readonly Hosting.Refusal SessionEnded = Hosting.Refusal.Conflict(ChargingErrorCodes.SessionEnded, "This charging session has ended.");

    public static readonly Hosting.Refusal NoSuchSession = Hosting.Refusal.NotFound("No such charging session of yours.");

    public static Hosting.Refusal NotAllowed(string allowed) =>
        Hosting.Refusal.Conflict(ChargingErrorCodes.ChargingNotAllowed, $"Your charging contract may not charge now ({allowed}).");
}
