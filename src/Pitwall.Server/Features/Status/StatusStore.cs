using System.Data.Common;
using Dapper;
using Google.Protobuf;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Status;

/// <summary>SQL for <c>vehicle_status</c>: one row per car, the latest value of each signal (C1, C2: no history).</summary>
public sealed class StatusStore(Database database)
{
    public Task<StatusReport?> FindAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => Parse(await c.QuerySingleOrDefaultAsync<byte[]?>("SELECT snapshot FROM vehicle_status WHERE vin = @vin", new { vin })),
            cancellationToken);

    internal static async Task<StatusReport?> FindAsync(DbConnection c, DbTransaction t, string vin) =>
        Parse(await c.QuerySingleOrDefaultAsync<byte[]?>("SELECT snapshot FROM vehicle_status WHERE vin = @vin", new { vin }, t));

    internal static Task SaveAsync(DbConnection c, DbTransaction t, string vin, StatusReport snapshot, DateTimeOffset now) =>
        c.ExecuteAsync(
            """
            INSERT INTO vehicle_status (vin, snapshot, updated_at) VALUES (@vin, @snapshot, @now)
            ON CONFLICT (vin) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at
            """, new { vin, snapshot = snapshot.ToByteArray(), now = now.ToUnixTimeMilliseconds() }, t);

    internal static Task DeleteAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM vehicle_status WHERE vin = @vin", new { vin }, t);

    private static StatusReport? Parse(byte[]? bytes) => bytes is null ? null : StatusReport.Parser.ParseFrom(bytes);
}
