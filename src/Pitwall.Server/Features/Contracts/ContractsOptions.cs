using System.ComponentModel.DataAnnotations;

namespace Pitwall.Server.Features.Contracts;

/// <summary><c>Pitwall:Contracts</c>.</summary>
public sealed class ContractsOptions
{
    public const string Section = "Pitwall:Contracts";

    /// <summary>Packages a newly registered vehicle comes with, each where it fits the car (comma-separated ids; empty = none).</summary>
    public string IncludedPackages { get; set; } = "connect_care,car_connect_remote,connect_remote";

    /// <summary>How long the included packages run from registration.</summary>
    [Range(1, 240)]
    public int IncludedMonths { get; set; } = 36;

    /// <summary>B3: a purchase may be withdrawn (full refund) up to this many days after it.</summary>
    [Range(0, 365)]
    public int WithdrawalDays { get; set; } = 28;

    /// <summary>Users hear this long before a term ends whether it renews or expires.</summary>
    public TimeSpan ExpiryNotice { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the renewal job looks for terms that ended.</summary>
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// On SQLite, how long a vehicle's entitlements are kept in memory (never past a term's start or end; forgotten at
    /// once when contracts or packages change in this process). Zero asks the database every time. Not used on PostgreSQL.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan EntitlementCacheLifetime { get; set; } = TimeSpan.FromSeconds(5);

    public IReadOnlyList<string> Included => IncludedPackages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
