using System.Text.Json.Serialization;

namespace Pitwall.Server.Features.SoftwareUpdates;

// The JSON of Eclipse hawkBit's Direct Device Integration API, as its clients (swupdate's suricatta, rauc-hawkbit-updater,
// hawkbit-rs …) read and write it. Unknown members are ignored on input: older clients still send "id" and "time" in feedback.

internal sealed record DdiLink(string Href);

internal sealed record DdiPolling(string Sleep);

internal sealed record DdiConfig(DdiPolling Polling);

/// <summary>The base poll's answer: how long to sleep, and links to what the controller should do next.</summary>
internal sealed record DdiControllerBase(DdiConfig Config, [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, DdiLink> Links);

internal sealed record DdiHashes(string Sha1, string Md5, string Sha256);

internal sealed record DdiArtifact(
    string Filename, DdiHashes Hashes, long Size, [property: JsonPropertyName("_links")] IReadOnlyDictionary<string, DdiLink> Links);

/// <summary>A module's metadata marked visible to targets (hawkBit's "target visible" software-module metadata).</summary>
internal sealed record DdiMetadata(string Key, string Value);

/// <param name="Part">The module's kind; hawkBit's legacy keys for two of them (application: bApp, runtime: jvm).</param>
/// <param name="Metadata">The module's target-visible metadata; absent when it has none.</param>
internal sealed record DdiChunk(
    string Part, string Version, string Name, IReadOnlyList<DdiArtifact> Artifacts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<DdiMetadata>? Metadata = null);

/// <param name="Download">skip, attempt or forced.</param>
/// <param name="Update">skip, attempt or forced.</param>
/// <param name="MaintenanceWindow">available or unavailable when the action's campaign has a window (outside it, update is skip); else absent.</param>
internal sealed record DdiDeployment(
    string Download, string Update, IReadOnlyList<DdiChunk> Chunks,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? MaintenanceWindow = null);

/// <param name="Status">The action's status as hawkBit names it (RUNNING, DOWNLOAD, DOWNLOADED, WARNING, CANCELING, CANCELED, FINISHED, ERROR …).</param>
/// <param name="Messages">The messages reported on the action, newest first; the first one the server set describes the assignment.</param>
internal sealed record DdiActionHistory(string Status, IReadOnlyList<string> Messages);

internal sealed record DdiDeploymentBase(
    string Id, DdiDeployment Deployment, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DdiActionHistory? ActionHistory);

internal sealed record DdiCancelAction(string StopId);

internal sealed record DdiCancel(string Id, DdiCancelAction CancelAction);

internal sealed record DdiProgress(int? Cnt, int? Of);

internal sealed record DdiResult(string? Finished, DdiProgress? Progress);

/// <param name="Code">An optional status code of the device's own; kept as the message "Device reported status code: N".</param>
internal sealed record DdiStatus(string? Execution, DdiResult? Result, IReadOnlyList<string>? Details, int? Code = null);

/// <summary>What a controller reports on a deployment or a cancellation.</summary>
/// <param name="Timestamp">When the device says it happened (Unix ms): accepted and not used; Pitwall records its own receiving time.</param>
internal sealed record DdiActionFeedback(DdiStatus? Status, long? Timestamp = null);

/// <param name="Mode">merge (default), replace or remove.</param>
internal sealed record DdiConfigData(string? Mode, IReadOnlyDictionary<string, string>? Data);
