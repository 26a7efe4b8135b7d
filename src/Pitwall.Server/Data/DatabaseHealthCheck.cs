using Dapper;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Pitwall.Server.Data;

/// <summary>Ready means the database answers and carries every migration this binary knows.</summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var newest = await database.ReadAsync(
                connection => connection.ExecuteScalarAsync<long?>("SELECT MAX(version) FROM schema_migrations"), cancellationToken);
            var expected = Migrator.Known(database.Dialect)[^1].Version;
            return newest == expected
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"schema version {newest?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, expected {expected}");
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
