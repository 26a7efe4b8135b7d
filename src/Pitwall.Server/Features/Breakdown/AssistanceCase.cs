namespace Pitwall.Server.Features.Breakdown;

/// <summary>A breakdown call or an emergency call: the same workflow, kept in separate tables (different legal bases and periods).</summary>
internal enum CaseKind
{
    Breakdown,
    Emergency,
}

/// <summary>The states of a case, in the order they usually come.</summary>
internal static class CaseStates
{
    /// <summary>The app's call: the platform asked the car for its snapshot and waits for it.</summary>
    public const string Requested = "requested";
    /// <summary>In the queue, no agent yet.</summary>
    public const string Waiting = "waiting";
    public const string Claimed = "claimed";
    public const string HelpSent = "help_sent";
    public const string TowOrdered = "tow_ordered";
    public const string Closed = "closed";
}

/// <summary>The agent's actions (what was done for the driver).</summary>
internal static class CaseActions
{
    public const string RoadsideHelp = "roadside_help";
    public const string Tow = "tow";
    public const string SolvedByPhone = "solved_by_phone";

    public static readonly string[] All = [RoadsideHelp, Tow, SolvedByPhone];
}

/// <summary>A case as stored (<c>breakdown_cases</c>, <c>emergency_cases</c>).</summary>
internal sealed class AssistanceCase
{
    public string Id { get; set; } = "";
    public string Vin { get; set; } = "";
    public string? AccountId { get; set; }
    public string Source { get; set; } = "";
    public string CallId { get; set; } = "";
    public string State { get; set; } = "";
    public long OpenedAt { get; set; }
    public long UpdatedAt { get; set; }
    public string? Model { get; set; }
    public string? CallbackNumber { get; set; }
    public double? Latitude { get; set; }
    public double? Longitude { get; set; }
    public double? AccuracyM { get; set; }
    public long? PositionAt { get; set; }
    public string? Snapshot { get; set; }
    public long? SnapshotAt { get; set; }
    public string? Diagnosis { get; set; }
    public string? ClaimedBy { get; set; }
    public long? ClaimedAt { get; set; }
    public string? Action { get; set; }
    public long? EtaAt { get; set; }
    public string? TowDealerId { get; set; }
    public string? DealerId { get; set; }
    public long? ClosedAt { get; set; }

    public CaseKind Kind => KindOf(Id) ?? CaseKind.Breakdown;

    public bool IsClosed => State == CaseStates.Closed;

    /// <summary>A case id says its kind: <c>bd-…</c> or <c>sos-…</c>.</summary>
    public static CaseKind? KindOf(string id) =>
        id.StartsWith("sos-", StringComparison.Ordinal) ? CaseKind.Emergency : id.StartsWith("bd-", StringComparison.Ordinal) ? CaseKind.Breakdown : null;

    public static string NewId(CaseKind kind, DateTimeOffset now) => (kind == CaseKind.Emergency ? "sos-" : "bd-") + Guid.CreateVersion7(now).ToString("N");
}

/// <summary>One entry of a case's timeline.</summary>
internal sealed class CaseEvent
{
    public string Id { get; set; } = "";
    public string CaseId { get; set; } = "";
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string? Actor { get; set; }
    public string? Detail { get; set; }
    public string? RequestId { get; set; }
}

/// <summary>The kinds of timeline entries.</summary>
internal static class CaseEventKinds
{
    public const string Opened = "opened";
    public const string Snapshot = "snapshot";
    public const string Claimed = "claimed";
    public const string LiveRequested = "live_diagnosis_requested";
    public const string LiveAnswered = "live_diagnosis_answered";
    public const string Note = "note";
    public const string Action = "action";
    public const string DriverNotified = "driver_notified";
    public const string Consent = "consent";
    public const string Closed = "closed";
}
