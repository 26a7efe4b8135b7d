using System.Data.Common;
using System.Text.Json;
using Dapper;
using Google.Protobuf;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;

namespace Pitwall.Server.Gateway;

/// <summary>SQL for <c>vehicle_link</c> and <c>vehicle_outbox</c>.</summary>
internal sealed partial class VehicleLinkStore(Database database)
{
    internal static readonly JsonFormatter PrivacyJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>
    /// Records a hello, in one transaction with what the car needs next (one write per login, not two): the highest car
    /// seq held durably, and the cloud frames it has not acknowledged yet, oldest first (those it already has are dropped).
    /// The login also makes this instance the car's holder, with a new session epoch (issue 19).
    /// </summary>
    public Task<HelloRecord> RecordHelloAsync(Hello hello, string instance, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync(EnsureLink, new { vin = hello.Vin }, t);
            await c.ExecuteAsync(EnsureMarks, new { vin = hello.Vin }, t);
            // The car's frame counter (created if need be) before the epoch: this waits for a frame being written elsewhere
            // (its writer holds the counter's row until commit), so the outbox read below sees it, and no frame is written
            // after this until the login commits.
            var next = await c.ExecuteScalarAsync<long>(
                """
                INSERT INTO vehicle_cloud_seq (vin, next_cloud_seq) VALUES (@vin, 0)
                ON CONFLICT (vin) DO UPDATE SET next_cloud_seq = vehicle_cloud_seq.next_cloud_seq RETURNING next_cloud_seq
                """, new { vin = hello.Vin }, t);
            await c.ExecuteAsync(
                """
                UPDATE vehicle_link SET protocol_version = @version, software = @software, supported_signals = @supported,
                       privacy = @privacy, session_epoch = session_epoch + 1, session_instance = @instance
                WHERE vin = @vin;
                UPDATE vehicle_car_marks SET last_seen_at = @now WHERE vin = @vin
                """,
                new
                {
                    vin = hello.Vin,
                    version = (long)hello.ProtocolVersion,
                    software = JsonSerializer.Serialize(hello.Software.Select(s => new { s.Component, s.Version })),
                    supported = JsonSerializer.Serialize(hello.SupportedSignals),
                    privacy = PrivacyJson.Format(hello.Privacy ?? new PrivacySettings()),
                    now = now.ToUnixTimeMilliseconds(),
                    instance,
                }, t);
            await c.ExecuteAsync("INSERT INTO vehicle_logins (occurred_at, vin, event) VALUES (@now, @vin, 'login')",
                new { now = now.ToUnixTimeMilliseconds(), vin = hello.Vin }, t);
            var (durable, epoch) = await c.QuerySingleAsync<(long, long)>(
                "SELECT m.last_car_seq, l.session_epoch FROM vehicle_link l JOIN vehicle_car_marks m ON m.vin = l.vin WHERE l.vin = @vin", new { vin = hello.Vin }, t);
            return new HelloRecord(durable, epoch, next, await PendingAsync(c, t, hello.Vin, (long)hello.LastReceivedSeq, now));
        }, cancellationToken);

    /// <param name="NextCloudSeq">The last cloud seq handed out: every frame up to it is either pending or no longer to be sent.</param>
    public sealed record HelloRecord(long Durable, long Epoch, long NextCloudSeq, IReadOnlyList<Envelope> Pending);

    /// <summary>H6: the car's session ended; the instance no longer holds the car, unless a newer session took over.</summary>
    public Task RecordLogoutAsync(string vin, long epoch, DateTimeOffset now, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("INSERT INTO vehicle_logins (occurred_at, vin, event) VALUES (@now, @vin, 'logout')",
                new { now = now.ToUnixTimeMilliseconds(), vin }, t);
            await c.ExecuteAsync("UPDATE vehicle_link SET session_instance = NULL WHERE vin = @vin AND session_epoch = @epoch", new { vin, epoch }, t);
        }, cancellationToken);

    private const string EnsureLink = "INSERT INTO vehicle_link (vin) VALUES (@vin) ON CONFLICT (vin) DO NOTHING";
    private const string EnsureMarks = "INSERT INTO vehicle_car_marks (vin, last_car_seq) VALUES (@vin, 0) ON CONFLICT (vin) DO NOTHING";

    private static async Task EnsureAsync(DbConnection c, DbTransaction t, string vin)
    {
        await c.ExecuteAsync(EnsureLink, new { vin }, t);
        await c.ExecuteAsync(EnsureMarks, new { vin }, t);
        await c.ExecuteAsync("INSERT INTO vehicle_cloud_seq (vin, next_cloud_seq) VALUES (@vin, 0) ON CONFLICT (vin) DO NOTHING", new { vin }, t);
    }

    /// <summary>Advances each car's dedup high-water mark; part of the ingest transaction, so data and mark commit together.</summary>
    /// <param name="marks">Per car: the highest seq stored, and its last message: in private mode not even when the car was
    /// seen is recorded.</param>
    internal static async Task AdvanceCarSeqsAsync(DbConnection c, DbTransaction t, IReadOnlyList<IngestBatch.CarMark> marks, DateTimeOffset now)
    {
        const string advanceSql =
            "UPDATE vehicle_car_marks SET last_car_seq = @seq, last_seen_at = COALESCE(@seen, last_seen_at) WHERE vin = @vin AND last_car_seq < @seq";
        var seen = now.ToUnixTimeMilliseconds();
        if (PreparedRow.For(c, advanceSql) is { } prepared)
        {
            foreach (var mark in marks)
            {
                prepared.Int64(1, mark.Seq).Int64(2, mark.Last.Privacy.PrivateMode ? null : seen).Text(3, mark.Vin).Execute(); // @seq, @seen, @vin
            }
            return;
        }
        await using var advance = BatchCommand.Create(c, t, advanceSql, "vin", "seq", "seen");
        foreach (var mark in marks)
        {
            await advance.ExecuteAsync(mark.Vin, mark.Seq, mark.Last.Privacy.PrivateMode ? null : seen);
        }
    }

    internal static Task SavePrivacyAsync(DbConnection c, DbTransaction t, string vin, PrivacySettings privacy) =>
        c.ExecuteAsync("UPDATE vehicle_link SET privacy = @privacy WHERE vin = @vin", new { vin, privacy = PrivacyJson.Format(privacy) }, t);

    /// <summary>Gives the frame the car's next cloud seq and keeps it until acked or expired.</summary>
    /// <returns>The frame's seq and the car's session epoch as of this write (only that session may deliver it at once).</returns>
    public Task<(long Seq, long Epoch)> EnqueueAsync(string vin, Envelope frame, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => EnqueueAsync(c, t, database.Dialect, vin, frame, expiresAt), cancellationToken);

    internal static async Task<(long Seq, long Epoch)> EnqueueAsync(
        DbConnection c, DbTransaction t, SqlDialect dialect, string vin, Envelope frame, DateTimeOffset expiresAt)
    {
        // The row lock taken here is held until commit, so a frame with a lower seq is always committed before one with a
        // higher seq can be: whoever reads the outbox after seeing seq n sees everything below it (issue 19). The counter
        // has a row of its own, apart from vehicle_link, which the instance holding the car updates (migration 0056).
        var (seq, epoch) = await NextSeqAsync(c, t, dialect, vin);
        if (seq == 0)
        {
            await EnsureAsync(c, t, vin); // a car that never connected
            (seq, epoch) = await NextSeqAsync(c, t, dialect, vin);
        }
        frame.Seq = (ulong)seq;
        const string insert = "INSERT INTO vehicle_outbox (vin, seq, payload, expires_at) VALUES (@vin, @seq, @payload, @expires)";
        if (PreparedRow.For(c, insert) is { } prepared)
        {
            prepared.Text(1, vin).Int64(2, seq).Blob(3, frame.ToByteArray()).Int64(4, expiresAt.ToUnixTimeMilliseconds()).Execute(); // SQLite's writer
        }
        else
        {
            await c.ExecuteAsync(insert, new { vin, seq, payload = frame.ToByteArray(), expires = expiresAt.ToUnixTimeMilliseconds() }, t);
        }
        return (seq, epoch);
    }

    /// <summary>Takes the car's next cloud seq (0 when the car has no counter yet) and reads its session epoch after that.</summary>
    private static async Task<(long Seq, long Epoch)> NextSeqAsync(DbConnection c, DbTransaction t, SqlDialect dialect, string vin)
    {
        const string next = "UPDATE vehicle_cloud_seq SET next_cloud_seq = next_cloud_seq + 1 WHERE vin = @vin RETURNING next_cloud_seq";
        if (dialect != SqlDialect.Postgres)
        {
            // One writer: nothing can change the epoch between the two.
            const string nextWithEpoch = next + ", COALESCE((SELECT session_epoch FROM vehicle_link WHERE vin = @vin), 0)";
            if (PreparedRow.For(c, nextWithEpoch) is { } prepared)
            {
                prepared.Text(1, vin).First(out var taken, out var sessionEpoch); // the writer's connection; no row: (0, 0)
                return (taken, sessionEpoch);
            }
            return await c.QueryFirstOrDefaultAsync<(long, long)>(nextWithEpoch, new { vin }, t);
        }
        // One round trip, two statements: the epoch is read by a statement of its own, which sees a login that committed
        // while this one waited for the counter's row (a subquery of the UPDATE would still see the epoch before it).
        await using var results = await c.QueryMultipleAsync(next + "; SELECT session_epoch FROM vehicle_link WHERE vin = @vin", new { vin }, t);
        var seq = await results.ReadFirstOrDefaultAsync<long>();
        var epoch = await results.ReadFirstOrDefaultAsync<long>();
        return (seq, epoch);
    }

    internal static Task RetractAsync(DbConnection c, DbTransaction t, string vin, IReadOnlyCollection<long> seqs) =>
        seqs.Count == 0
            ? Task.CompletedTask
            : c.ExecuteAsync("DELETE FROM vehicle_outbox WHERE vin = @vin AND seq = @seq", seqs.Select(seq => new { vin, seq }), t);

    /// <summary>Frames the car has not acknowledged yet, oldest first; drops those it already has.</summary>
    private static async Task<IReadOnlyList<Envelope>> PendingAsync(DbConnection c, DbTransaction t, string vin, long carHas, DateTimeOffset now)
    {
        await c.ExecuteAsync("DELETE FROM vehicle_outbox WHERE vin = @vin AND seq <= @carHas", new { vin, carHas }, t);
        var payloads = await c.QueryAsync<byte[]>(
            "SELECT payload FROM vehicle_outbox WHERE vin = @vin AND expires_at > @now ORDER BY seq",
            new { vin, now = now.ToUnixTimeMilliseconds() }, t);
        return payloads.Select(p => Envelope.Parser.ParseFrom(p)).ToList();
    }

    /// <summary>Each car holds its frames up to the seq it acked: they leave the outbox, and the ack is noted in a row that
    /// only this writes (<c>vehicle_cloud_acks</c>; the car's result, written meanwhile by the ingest writer, updates
    /// <c>vehicle_link</c>).</summary>
    /// <returns>The cars whose ack may have confirmed a setting: a frame other than a remote command left the outbox, or none
    /// did (what the ack covers left before, e.g. at the car's login, and is not known here). A car whose ack took only
    /// commands is not among them: each command's own event says how it ended.</returns>
    public Task<IReadOnlySet<string>> AcknowledgedAsync(IReadOnlyCollection<(string Vin, long UpTo)> acks, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlySet<string>>(async (c, t) =>
        {
            if (database.Dialect == SqlDialect.Postgres)
            {
                // An ack needs no durability (a lost one only offers the frame again; the car knows it by seq, CloudAcks): the
                // commit does not wait for the WAL flush, so the cars' rows are not held locked meanwhile.
                await c.ExecuteAsync("SET LOCAL synchronous_commit = off", transaction: t);
            }
            await using var delete = BatchCommand.Create(c, t, "DELETE FROM vehicle_outbox WHERE vin = @vin AND seq <= @upTo RETURNING payload", "vin", "upTo");
            await using var mark = BatchCommand.Create(c, t,
                """
                INSERT INTO vehicle_cloud_acks (vin, car_acked_seq) VALUES (@vin, @upTo)
                ON CONFLICT (vin) DO UPDATE SET car_acked_seq = excluded.car_acked_seq WHERE vehicle_cloud_acks.car_acked_seq < excluded.car_acked_seq
                """, "vin", "upTo");
            var settings = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (vin, upTo) in acks)
            {
                var (any, onlyCommands) = (false, true);
                await using (var applied = await delete.ReadAsync(vin, upTo))
                {
                    while (await applied.ReadAsync())
                    {
                        any = true;
                        onlyCommands &= Envelope.Parser.ParseFrom((byte[])applied[0]).PayloadCase == Envelope.PayloadOneofCase.Command;
                    }
                }
                if (!any || !onlyCommands)
                {
                    settings.Add(vin);
                }
                await mark.ExecuteAsync(vin, upTo);
            }
            return settings;
        }, cancellationToken);

    public Task<LinkRow?> FindAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<LinkRow?>(
            """
            SELECT protocol_version AS ProtocolVersion, software AS Software, supported_signals AS SupportedSignals,
                   privacy AS Privacy, (SELECT m.last_seen_at FROM vehicle_car_marks m WHERE m.vin = vehicle_link.vin) AS LastSeenAt,
                   session_instance AS SessionInstance,
                   COALESCE((SELECT a.car_acked_seq FROM vehicle_cloud_acks a WHERE a.vin = vehicle_link.vin), 0) AS CarAckedSeq,
                   (SELECT i.seen_at FROM cluster_instances i WHERE i.instance_id = vehicle_link.session_instance) AS HolderSeenAt
            FROM vehicle_link WHERE vin = @vin
            """, new { vin }), cancellationToken);

    public sealed class LinkRow
    {
        public long? ProtocolVersion { get; init; }
        public string? Software { get; init; }
        public string? SupportedSignals { get; init; }
        public string? Privacy { get; init; }
        public long? LastSeenAt { get; init; }
        public long CarAckedSeq { get; init; }
        public string? SessionInstance { get; init; }

        /// <summary>The last heartbeat of the instance holding the car (null: nobody holds it, or its instance is gone).</summary>
        public long? HolderSeenAt { get; init; }
    }
}
