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

    private const string Upsert =
        """
        INSERT INTO vehicle_status (vin, snapshot, updated_at) VALUES (@vin, @snapshot, @now)
        ON CONFLICT (vin) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at
        """;

    [ThreadStatic]
    private static byte[]? t_snapshot;

    /// <summary>One row per car, its whole latest state serialised once per batch however many of its reports the batch held.</summary>
    internal static async Task SaveAsync(DbConnection c, DbTransaction t, IEnumerable<KeyValuePair<string, StatusReport>> snapshots, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        if (PreparedRow.For(c, Upsert) is { } upsert)
        {
            // SQLite's writer: serialised into one buffer and bound from it, nothing allocated per car.
            foreach (var (vin, snapshot) in snapshots)
            {
                var size = snapshot.CalculateSize();
                var buffer = t_snapshot is { } kept && kept.Length >= size ? kept : t_snapshot = new byte[Math.Max(size, 1024)];
                snapshot.WriteTo(buffer.AsSpan(0, size));
                upsert.Text(1, vin).Blob(2, buffer.AsSpan(0, size)).Int64(3, nowMs).Execute();
            }
            return;
        }
        await using var save = BatchCommand.Create(c, t, Upsert, "vin", "snapshot", "now");
        foreach (var (vin, snapshot) in snapshots)
        {
            await save.ExecuteAsync(vin, snapshot.ToByteArray(), nowMs);
        }
    }

    internal static Task DeleteAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM vehicle_status WHERE vin = @vin", new { vin }, t);

    private static StatusReport? Parse(byte[]? bytes) => bytes is null ? null : StatusReport.Parser.ParseFrom(bytes);
}
