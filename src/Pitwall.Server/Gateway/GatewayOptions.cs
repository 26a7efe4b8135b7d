using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Gateway;

public sealed class GatewayOptions
{
    public const string Section = "Pitwall:Gateway";

    /// <summary>The server pings at this interval; a car that stops answering for <see cref="KeepAliveTimeout"/> is dropped.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveInterval { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan KeepAliveTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Sustained messages per second a car may send, and the burst above it.</summary>
    [Range(1, 1_000_000)]
    public int MessagesPerSecond { get; set; } = 50;

    [Range(1, 1_000_000)]
    public int MessageBurst { get; set; } = 500;

    /// <summary>Frames waiting to go out to one car; a car that does not read is disconnected when it fills.</summary>
    [Range(8, 100_000)]
    public int OutboundQueueLength { get; set; } = 256;

    /// <summary>Reports waiting for the database across all cars; when full, sockets stop being read (backpressure).</summary>
    [Range(16, 1_000_000)]
    public int IngestQueueLength { get; set; } = 20_000;

    /// <summary>Most reports written in one transaction.</summary>
    [Range(1, 100_000)]
    public int IngestBatchSize { get; set; } = 4000;

    /// <summary>How long the cars' acks of cloud frames gather before they are applied in one transaction (CloudAcks). An
    /// ack is not durable anyway; only the <c>vehicle.frames_applied</c> event waits this long.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan CloudAckLinger { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a challenge nonce stays valid.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan ChallengeLifetime { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Login challenges one client address may fetch per minute.</summary>
    [Range(1, 10_000_000)]
    public int ChallengesPerMinute { get; set; } = 600;

    /// <summary>The host name in the TLS server certificate the vehicle CA issues for https addresses.</summary>
    public string TlsHostName { get; set; } = "localhost";

    /// <summary>Accept development-mode (per-vehicle secret) authentication. Production fleets use certificates.</summary>
    public bool AllowSecretAuthentication { get; set; } = true;

    /// <summary>How far ahead of the platform's clock a car's time may be (a car clock a few minutes off is normal).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "7.00:00:00")]
    public TimeSpan MaxCarClockAhead { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>No car measured anything before this: an earlier time is a car clock that was reset (to 1970, or the GPS
    /// epoch). Later past times are fine: a car that was long out of coverage resends old messages.</summary>
    public DateTimeOffset EarliestCarTime { get; set; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Once a frame's first bytes arrived, the rest must arrive within this time, however slowly the car sends.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan FrameTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
