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

    internal static async Task SaveAsync(DbConnection c, DbTransaction t, IEnumerable<KeyValuePair<string, StatusReport>> snapshots, DateTimeOffset now)
    {
        await using var save = BatchCommand.Create(c, t,
            """
            INSERT INTO vehicle_status (vin, snapshot, updated_at) VALUES (@vin, @snapshot, @now)
            ON CONFLICT (vin) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at
            """, "vin", "snapshot", "now");
        foreach (var (vin, snapshot) in snapshots)
        {
            await save.ExecuteAsync(vin, snapshot.ToByteArray(), now.ToUnixTimeMilliseconds());
        }
    }

    internal static Task DeleteAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM vehicle_status WHERE vin = @vin", new { vin }, t);

    private static StatusReport? Parse(byte[]? bytes) => bytes is null ? null : StatusReport.Parser.ParseFrom(bytes);
}
