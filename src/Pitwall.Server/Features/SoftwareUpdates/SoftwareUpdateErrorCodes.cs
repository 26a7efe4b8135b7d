namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The stable problem codes of software updates (clients switch on these; never rename one).</summary>
internal static class SoftwareUpdateErrorCodes
{
    /// <summary>A software module or distribution set with this name and version exists already (versions are immutable).</summary>
    public const string VersionExists = "version_exists";

    /// <summary>The module has an artifact of this file name already (artifacts are immutable; make a new module version).</summary>
    public const string ArtifactExists = "artifact_exists";

    /// <summary>An update target with this controller id exists already.</summary>
    public const string TargetExists = "target_exists";

    /// <summary>The distribution set is not for this car's model, model year or hardware variant.</summary>
    public const string SetDoesNotFit = "set_does_not_fit";

    /// <summary>The target has an open action: cancel it (or let it finish) before assigning another set.</summary>
    public const string ActionOpen = "action_open";

    /// <summary>DDI: feedback for an action that is closed (finished, failed or cancelled): 410 Gone, as hawkBit answers.</summary>
    public const string ActionClosed = "action_closed";

    /// <summary>DDI: the action is not being cancelled, or it is closed and cannot be (405, as hawkBit answers).</summary>
    public const string ActionNotCancelable = "action_not_cancelable";

    /// <summary>DDI: the controller is a car without a primary user; software updates need an account (F3).</summary>
    public const string CarWithoutAccount = "car_without_account";

    /// <summary>The campaign is not in a state the move starts from (resuming what is not paused, cancelling what ended).</summary>
    public const string CampaignStateConflict = "campaign_state_conflict";

    /// <summary>The update is mandatory (forced): it cannot be postponed.</summary>
    public const string UpdateForced = "update_forced";

    /// <summary>The update is no longer on offer (installed, failed, cancelled or being cancelled): there is nothing to answer.</summary>
    public const string UpdateNotOpen = "update_not_open";

    /// <summary>No image repository was made (<c>pitwall admin image-keys-init</c>). Targets for it are refused with
    /// <c>image_targets_bad_signature</c>, <c>image_targets_replayed_metadata</c> or <c>image_targets_expired_metadata</c> (422).</summary>
    public const string ImageRepositoryMissing = "image_repository_missing";

    /// <summary>The next image root (<c>PUT …/image-repository/root</c>) names snapshot or timestamp keys this server does not hold. Roots
    /// themselves are refused with <c>image_root_bad_signature</c> (unlinked), <c>image_root_replayed_metadata</c> or
    /// <c>image_root_expired_metadata</c> (422).</summary>
    public const string ImageRootOnlineKeyMissing = "image_root_online_key_missing";
}
