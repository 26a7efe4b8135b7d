using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.Notifications;

/// <summary>How the notification senders work (section <c>Pitwall:Notifications</c>).</summary>
internal sealed class NotificationsOptions
{
    public const string Section = "Pitwall:Notifications";

    /// <summary>Attempts per delivery before it is given up as failed.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The first retry's wait; it doubles with each attempt up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan FirstBackoff { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How long one send may take; also how long a claimed delivery stays claimed.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a sender looks for work queued by another instance.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    [Range(1, 64)]
    public int ParallelSendsPerChannel { get; set; } = 4;
}
