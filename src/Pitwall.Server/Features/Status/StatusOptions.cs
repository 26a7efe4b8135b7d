using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.Status;

public sealed class StatusOptions
{
    public const string Section = "Pitwall:Status";

    /// <summary>How long a refresh waits for the car's answer before answering <c>vehicle_offline</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:05:00")]
    public TimeSpan RefreshTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Refresh requests one account may make per vehicle per minute.</summary>
    [Range(1, 10_000)]
    public int RefreshesPerMinute { get; set; } = 6;
}
