using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary><c>Pitwall:CarSecurity</c>.</summary>
public sealed class CarSecurityOptions
{
    public const string Section = "Pitwall:CarSecurity";

    /// <summary>E1: the longest an owner may switch one trigger reason off at a time.</summary>
    public TimeSpan MaxSuspension { get; set; } = TimeSpan.FromDays(30);

    /// <summary>E3: wrong security answers before the identity check of a case locks.</summary>
    [Range(1, 10)]
    public int IdentityCheckAttempts { get; set; } = 3;

    /// <summary>The tracking interval the SOC may set, seconds.</summary>
    [Range(1, 3600)]
    public int MinTrackingIntervalSeconds { get; set; } = 10;

    [Range(10, 86_400)]
    public int MaxTrackingIntervalSeconds { get; set; } = 3600;

    /// <summary>E4: every car sends a health check this often…</summary>
    public TimeSpan HealthCheckPeriod { get; set; } = TimeSpan.FromDays(31);

    /// <summary>…and is flagged once this much later than that without one.</summary>
    public TimeSpan HealthCheckGrace { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often the health-check job looks for cars that missed theirs.</summary>
    public TimeSpan HealthCheckJobInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>E5: how long a map key of the SOC opens a case's track.</summary>
    public TimeSpan MapKeyValidity { get; set; } = TimeSpan.FromMinutes(30);
}
