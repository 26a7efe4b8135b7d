namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>
/// A command Pitwall sent to a charge point operator for an account (OCPI 2.2.1 Commands, Pitwall the Sender). <paramref name="Status"/>:
/// <c>sending</c> (no answer from the operator yet), <c>accepted</c> (the operator passed it on; the charge point's result is awaited
/// until <paramref name="Deadline"/>), then one of <c>performed</c> (result <c>ACCEPTED</c>), <c>failed</c> (any other result, or
/// <c>TIMEOUT</c> when none came in time, or the operator unreachable) and <c>rejected</c> (the operator's answer was not
/// <c>ACCEPTED</c>: <paramref name="Response"/> says which).
/// </summary>
internal sealed record ChargingCommand(
    string Id, string AccountId, string Vin, string PartnerId, string Command, string? LocationId, string? EvseUid, string? EvseId, string? ConnectorId,
    string? SessionId, string Status, string? Response, string? Result, string? Message, DateTimeOffset Deadline, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public const string Sending = "sending";
    public const string Accepted = "accepted";
    public const string Performed = "performed";
    public const string Failed = "failed";
    public const string Rejected = "rejected";

    /// <summary>Whether the command still waits for the operator or the charge point.</summary>
    public bool Open => Status is Sending or Accepted;

    /// <summary>The command as it stands at <paramref name="now"/>: an open one past its deadline has failed with <c>TIMEOUT</c>
    /// (the sweep writes that down a little later).</summary>
    public ChargingCommand At(DateTimeOffset now) =>
        Open && Deadline <= now ? this with { Status = Failed, Result = CommandTypes.Timeout, UpdatedAt = Deadline } : this;
}

/// <summary>The OCPI 2.2.1 command vocabulary: <c>CommandType</c>, <c>CommandResponseType</c>, <c>CommandResultType</c>.</summary>
internal static class CommandTypes
{
    public const string StartSession = "START_SESSION";
    public const string StopSession = "STOP_SESSION";
    public const string UnlockConnector = "UNLOCK_CONNECTOR";

    /// <summary>Every CommandType of 2.2.1; Pitwall sends the first three (no reservations).</summary>
    public static readonly string[] All = [StartSession, StopSession, UnlockConnector, "RESERVE_NOW", "CANCEL_RESERVATION"];

    public const string Accepted = "ACCEPTED";
    public const string Timeout = "TIMEOUT";

    public static readonly string[] Responses = [Accepted, "REJECTED", "NOT_SUPPORTED", "UNKNOWN_SESSION"];

    public static readonly string[] Results =
        [Accepted, "CANCELED_RESERVATION", "EVSE_OCCUPIED", "EVSE_INOPERATIVE", "FAILED", "NOT_SUPPORTED", "REJECTED", Timeout, "UNKNOWN_RESERVATION"];
}
