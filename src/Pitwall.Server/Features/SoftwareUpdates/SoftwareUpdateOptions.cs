using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary><c>Pitwall:SoftwareUpdates</c>: where artifacts live and how update clients reach the hawkBit DDI API.</summary>
internal sealed class SoftwareUpdateOptions
{
    public const string Section = "Pitwall:SoftwareUpdates";

    /// <summary>The directory of the artifacts' bytes, one file per SHA-256 (relative paths from the working directory).</summary>
    [Required]
    public string ArtifactDirectory { get; set; } = "./data/artifacts";

    /// <summary>A front (nginx) serves the DDI downloads' bytes after Pitwall authorised them (off: Pitwall streams them itself).</summary>
    public AcceleratedDownloadOptions AcceleratedDownloads { get; set; } = new();

    /// <summary>The largest artifact an administrator may upload, in bytes (the request-size limit of that endpoint only).</summary>
    [Range(1, long.MaxValue)]
    public long MaxArtifactBytes { get; set; } = 8L * 1024 * 1024 * 1024;

    /// <summary>The DDI tenant in <c>/{tenant}/controller/v1/…</c>, matched without regard to case (clients send DEFAULT or default).</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_-]{1,64}$")]
    public string Tenant { get; set; } = "DEFAULT";

    /// <summary>The tenant's gateway token (<c>Authorization: GatewayToken …</c>): it may act for any controller and registers
    /// unknown ones on their first poll. Empty: gateway tokens are refused.</summary>
    public string GatewayToken { get; set; } = "";

    /// <summary>How long a controller sleeps between polls (<c>config.polling.sleep</c>, sent as HH:mm:ss, below a day).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "23:59:59")]
    public TimeSpan PollingSleep { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The shortest polling sleep while a target waits for its action's maintenance window (hawkBit's <c>minPollingTime</c>):
    /// outside the window it is told to poll three times before the window opens, never more often than this.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "23:59:59")]
    public TimeSpan MinPollingSleep { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The directory of the signed update metadata's keys and root versions (outside the database; made by
    /// <c>pitwall admin update-keys init</c>). Without keys the offers carry no signed metadata.</summary>
    [Required]
    public string KeyDirectory { get; set; } = "./data/update-keys";

    /// <summary>How long the director's targets, snapshot and timestamp for a car stay valid (online keys, short expiry).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan MetadataLifetime { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long the image repository's targets that the next offline signing covers stay valid (offline keys, long expiry:
    /// sign again before then).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3650.00:00:00")]
    public TimeSpan ImageTargetsLifetime { get; set; } = TimeSpan.FromDays(180);

    /// <summary>How long the DDI polls' times gather in memory before they are written, one transaction for all (and when the server
    /// stops). This instance's API and pages show a poll at once; another instance on the same PostgreSQL database at most this late.
    /// Zero writes each poll's time in a transaction of its own.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan PollTimeLinger { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>On SQLite (one instance): how long the DDI door keeps a target with its token's hash, its current actions, and the
    /// catalogue's sets and modules, so that a download's ranges and a poll's follow-ups do not read them again. Changes made in this
    /// process are seen at once (a new target token, an assignment, a status, an added artifact); a target or action removed (the
    /// car's deregistration) or a change by another process, at most this late. Zero (and on PostgreSQL): every request reads.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan DoorCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>False switches the campaign job off on this instance (tests move campaigns by hand).</summary>
    public bool CampaignsEnabled { get; set; } = true;

    /// <summary>How often the campaign job moves the running campaigns on (starts waves, pauses, finishes).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CampaignInterval { get; set; } = TimeSpan.FromSeconds(30);
}
