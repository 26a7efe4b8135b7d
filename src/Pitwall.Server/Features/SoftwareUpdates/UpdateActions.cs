namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>
/// The assignment of a distribution set to a target, from assignment to its end (hawkBit's action). <see cref="Type"/> is
/// soft (the target may postpone), forced or downloadonly; <see cref="Status"/> one of <see cref="ActionStatuses"/>.
/// </summary>
internal sealed record UpdateAction(
    long Id, string ControllerId, string SetId, string Type, string Status, bool Active, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>One status the target reported for an action (or a step of the server's own, such as the assignment).</summary>
internal sealed record ActionStatusEntry(int Seq, DateTimeOffset At, string Execution, string Finished, string? Progress, IReadOnlyList<string> Details);

internal static class ActionTypes
{
    public const string Soft = "soft";
    public const string Forced = "forced";
    public const string DownloadOnly = "downloadonly";

    public static readonly IReadOnlyList<string> All = [Soft, Forced, DownloadOnly];
}

/// <summary>An action's states; the last three are final (the action is closed).</summary>
internal static class ActionStatuses
{
    public const string Pending = "pending";
    public const string Retrieved = "retrieved";
    public const string Running = "running";
    public const string Downloading = "downloading";
    public const string Downloaded = "downloaded";
    /// <summary>The target said it cannot install now (DDI <c>rejected</c>); the action stays open.</summary>
    public const string Rejected = "rejected";
    public const string Canceling = "canceling";
    public const string Canceled = "canceled";
    public const string Finished = "finished";
    public const string Error = "error";
}

/// <summary>What a DDI feedback (<c>status.execution</c> and <c>status.result.finished</c>) does to an action.</summary>
internal static class Feedback
{
    public static readonly IReadOnlyList<string> Executions = ["closed", "proceeding", "canceled", "scheduled", "rejected", "resumed", "download", "downloaded"];

    public static readonly IReadOnlyList<string> Results = ["success", "failure", "none"];

    /// <summary>The action's next status after feedback on its deployment.</summary>
    public static string OnDeployment(string execution, string finished) => execution switch
    {
        "closed" => finished == "failure" ? ActionStatuses.Error : ActionStatuses.Finished,
        "canceled" => ActionStatuses.Canceled,
        "rejected" => ActionStatuses.Rejected,
        "download" => ActionStatuses.Downloading,
        "downloaded" => ActionStatuses.Downloaded,
        _ => ActionStatuses.Running,
    };

    /// <summary>The action's next status after feedback on its cancellation, as hawkBit maps it: <c>closed</c> confirms it (ends the
    /// action) unless it failed; <c>rejected</c> or a failed <c>closed</c> lets the deployment go on; anything else (<c>canceled</c>
    /// included, which hawkBit takes for a warning only) leaves it being cancelled.</summary>
    public static string OnCancel(string execution, string finished) => execution switch
    {
        "closed" when finished != "failure" => ActionStatuses.Canceled,
        "closed" or "rejected" => ActionStatuses.Running,
        _ => ActionStatuses.Canceling,
    };

    public static bool IsFinal(string status) => status is ActionStatuses.Canceled or ActionStatuses.Finished or ActionStatuses.Error;
}
