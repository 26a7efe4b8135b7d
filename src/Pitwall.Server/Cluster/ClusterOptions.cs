using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Cluster;

/// <summary>
/// Several instances behind a load balancer (issue 19): they share PostgreSQL and route what is addressed to a car through
/// NATS to the instance that holds the car's connection. Without <see cref="NatsUrl"/> an instance runs alone, as before.
/// </summary>
public sealed class ClusterOptions : IValidatableObject
{
    public const string Section = "Pitwall:Cluster";

    /// <summary>The NATS server(s), e.g. <c>nats://127.0.0.1:4222</c> (comma-separated for a NATS cluster); unset: one instance.</summary>
    public string? NatsUrl { get; set; }

    /// <summary>This instance's name in the car presence records and the NATS connection name; unique per process by default.</summary>
    public string InstanceId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long an announcement to the instance holding a car waits for its answer.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often an instance looks in the database for frames waiting for the cars it holds, the fallback that
    /// delivers what no announcement reached it about (NATS down, a message lost).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long live events are kept for clients that reconnect with <c>Last-Event-ID</c>, and at most how many per feed.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan ReplayWindow { get; set; } = TimeSpan.FromMinutes(5);

    [Range(0, 1_000_000)]
    public int ReplayCapacity { get; set; } = 10_000;

    /// <summary>At most how many bytes of JSON the kept live events take per feed (the buffer grows to it as needed).</summary>
    [Range(1024, 1 << 30)]
    public int ReplayBytes { get; set; } = 16 << 20;

    /// <summary>A comment line is sent on a live event stream that has been quiet this long, so that proxies keep it open.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often an instance records in the database that it is alive (<c>cluster_instances</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:10:00")]
    public TimeSpan InstanceHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>An instance silent this long is taken for dead: its cars read as offline, and any other instance clears their
    /// presence records. Several heartbeats, so that one slow database write does not take a live instance for dead.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan InstanceTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal bool Enabled => !string.IsNullOrWhiteSpace(NatsUrl);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (InstanceTimeout < 2 * InstanceHeartbeat)
        {
            // Shorter, and the instances would take each other for dead between two heartbeats.
            yield return new ValidationResult("InstanceTimeout must be at least two InstanceHeartbeat intervals.", [nameof(InstanceTimeout)]);
        }
    }
}
