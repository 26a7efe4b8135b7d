using System.Data.Common;
using System.Diagnostics;
using Dapper;
using Google.Protobuf;
using Microsoft.Extensions.Options;
using Pitwall.Server.Data;

namespace Pitwall.Bench;

internal enum SqliteVariant
{
    /// <summary>Exactly what the IngestWriter issues: Dapper, one statement per call.</summary>
    Dapper,
    /// <summary>The same SQL through two prepared ADO.NET commands per transaction, parameters rebound per row.</summary>
    Prepared,
}

internal sealed record SqliteCeilingResult(SqliteVariant Variant, int VinsPerBatch, int ReportsPerBatch, long Batches, double Seconds, double Cores, double OtherCores)
{
    public double ReportsPerSecond => Batches * (double)ReportsPerBatch / Seconds;

    public double BatchesPerSecond => Batches / Seconds;

    public double MillisecondsPerBatch => Seconds * 1000 / Batches;
}

/// <summary>
/// The storage ceiling: the statements the IngestWriter issues for one batch of status reports, through Pitwall's
/// <see cref="Database"/> (a pooled connection per batch, busy_timeout and foreign_keys pragmas, BEGIN IMMEDIATE,
/// commit) on a freshly migrated SQLite file. Per batch and per car in it: the snapshot upsert into
/// vehicle_status (the protobuf of the car's latest values, serialised per batch like the server does) and the
/// vehicle_link high-water-mark update. A batch carries <c>reportsPerBatch</c> reports from <c>vins</c> cars; as the
/// server merges a car's reports into one snapshot, the statements depend on the cars per batch, not the reports.
/// </summary>
internal static class SqliteCeiling
{
    // The SQL of StatusStore.SaveAsync and VehicleLinkStore.AdvanceCarSeqAsync/EnsureAsync (internal there), verbatim.
    private const string UpsertStatus =
        """
        INSERT INTO vehicle_status (vin, snapshot, updated_at) VALUES (@vin, @snapshot, @now)
        ON CONFLICT (vin) DO UPDATE SET snapshot = excluded.snapshot, updated_at = excluded.updated_at
        """;
    private const string AdvanceCarSeq = "UPDATE vehicle_car_marks SET last_car_seq = @seq, last_seen_at = @now WHERE vin = @vin AND last_car_seq < @seq";
    private const string EnsureLink = "INSERT INTO vehicle_car_marks (vin, last_car_seq) VALUES (@vin, 0) ON CONFLICT (vin) DO NOTHING";

    public static async Task<SqliteCeilingResult> RunAsync(
        string databasePath, SqliteVariant variant, int vins, int reportsPerBatch, TimeSpan warmup, TimeSpan duration)
    {
        if (reportsPerBatch < vins)
        {
            throw new ArgumentOutOfRangeException(nameof(reportsPerBatch), "A batch holds at least one report per car.");
        }
        await using var database = new Database(Options.Create(new DatabaseOptions { ConnectionString = $"Data Source={databasePath}" }));
        var cars = Enumerable.Range(0, vins).Select(i => (Vin: Fleet.Vin(i), Frames: new StatusFrames(i))).ToArray();
        await database.WriteAsync(async (c, t) =>
        {
            foreach (var (vin, _) in cars)
            {
                await c.ExecuteAsync(EnsureLink, new { vin }, t);
            }
        }, CancellationToken.None);

        var perCar = reportsPerBatch / vins;
        long seq = 0;
        long batches = 0;
        async Task BatchAsync()
        {
            seq += perCar;
            var now = TimeProvider.System.GetUtcNow().ToUnixTimeMilliseconds();
            await database.WriteAsync(async (c, t) =>
            {
                if (variant == SqliteVariant.Dapper)
                {
                    foreach (var (vin, frames) in cars)
                    {
                        await c.ExecuteAsync(UpsertStatus, new { vin, snapshot = frames.Snapshot((ulong)seq, now).ToByteArray(), now }, t);
                    }
                    foreach (var (vin, _) in cars)
                    {
                        await c.ExecuteAsync(AdvanceCarSeq, new { vin, seq, now }, t);
                    }
                }
                else
                {
                    await PreparedAsync(c, t, cars, seq, now);
                }
            }, CancellationToken.None);
            batches++;
        }

        var warmupEnd = Stopwatch.GetTimestamp() + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < warmupEnd)
        {
            await BatchAsync();
        }
        batches = 0;
        var cpu = new CpuMeter(Environment.ProcessId);
        var other = new OtherLoad();
        var started = Stopwatch.GetTimestamp();
        var end = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < end)
        {
            await BatchAsync();
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var (cores, machine) = cpu.Stop();
        return new SqliteCeilingResult(variant, vins, reportsPerBatch, batches, seconds, cores[0], Math.Max(other.Cores(), machine - cores[0]));
    }

    private static async Task PreparedAsync(DbConnection c, DbTransaction t, (string Vin, StatusFrames Frames)[] cars, long seq, long now)
    {
        await using var upsert = c.CreateCommand();
        upsert.Transaction = t;
        upsert.CommandText = UpsertStatus;
        var vin1 = Parameter(upsert, "@vin");
        var snapshot = Parameter(upsert, "@snapshot");
        var now1 = Parameter(upsert, "@now");
        await upsert.PrepareAsync();
        foreach (var (vin, frames) in cars)
        {
            vin1.Value = vin;
            snapshot.Value = frames.Snapshot((ulong)seq, now).ToByteArray();
            now1.Value = now;
            await upsert.ExecuteNonQueryAsync();
        }
        await using var advance = c.CreateCommand();
        advance.Transaction = t;
        advance.CommandText = AdvanceCarSeq;
        var vin2 = Parameter(advance, "@vin");
        var seq2 = Parameter(advance, "@seq");
        var now2 = Parameter(advance, "@now");
        await advance.PrepareAsync();
        foreach (var (vin, _) in cars)
        {
            vin2.Value = vin;
            seq2.Value = seq;
            now2.Value = now;
            await advance.ExecuteNonQueryAsync();
        }
    }

    private static DbParameter Parameter(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
