using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Commands;

public sealed record CommandRecord(
    string Id, string Vin, string AccountId, string Type, IReadOnlyDictionary<string, string> Parameters, string State, string? Reason,
    DateTimeOffset CreatedAt, DateTimeOffset? SentAt, DateTimeOffset? CompletedAt, DateTimeOffset ExpiresAt);

internal static class CommandStates
{
    public const string Accepted = "accepted";
    public const string Sent = "sent";
    public const string Performed = "performed";
    public const string Failed = "failed";
    public const string Expired = "expired";
}

/// <summary>SQL for <c>vehicle_commands</c>.</summary>
public sealed class CommandStore(Database database)
{
    private const string Columns =
        "id AS Id, vin AS Vin, account_id AS AccountId, type AS Type, parameters AS Parameters, state AS State, reason AS Reason, " +
        "created_at AS CreatedAt, sent_at AS SentAt, completed_at AS CompletedAt, expires_at AS ExpiresAt";

    /// <summary>
    /// Before a new command is stored, in the caller's transaction: takes the car's command lock, and finds the earlier command
    /// with the same idempotency key and whether the car has a command open (waiting or in flight) — on PostgreSQL in one
    /// round trip.
    /// </summary>
    internal async Task<(CommandRecord? Earlier, bool Open)> BeforeInsertAsync(
        DbConnection c, DbTransaction t, string accountId, string vin, string? idempotencyKey, DateTimeOffset now)
    {
        var earlier = idempotencyKey is null
            ? ""
            : $"SELECT {Columns} FROM vehicle_commands WHERE account_id = @accountId AND vin = @vin AND idempotency_key = @idempotencyKey;";
        const string open = $"SELECT EXISTS (SELECT 1 FROM vehicle_commands WHERE {Open} AND vin = @vin AND expires_at > @nowMs)";
        var arguments = new { accountId, vin, idempotencyKey, nowMs = now.ToUnixTimeMilliseconds() };
        if (database.Dialect != SqlDialect.Postgres)
        {
            // SQLite's single writer is the lock.
            var found = idempotencyKey is null ? null : await c.QuerySingleOrDefaultAsync<Row>(earlier, arguments, t);
            if (found is not null)
            {
                return (Map(found), false);
            }
            if (PreparedRow.For(c, open) is { } prepared)
            {
                prepared.Text(1, vin).Int64(2, arguments.nowMs).First(out var exists, out _); // @vin, @nowMs
                return (null, exists != 0);
            }
            return (null, await c.ExecuteScalarAsync<bool>(open, arguments, t));
        }
        // Separate statements, each seeing what committed before it: the lock's holder's command is seen once the lock is ours.
        await using var results = await c.QueryMultipleAsync($"SELECT 1 FROM pg_advisory_xact_lock(hashtext(@vin)); {earlier} {open}", arguments, t);
        await results.ReadAsync<int>();
        var row = idempotencyKey is null ? null : await results.ReadSingleOrDefaultAsync<Row>();
        return (Map(row), await results.ReadSingleAsync<bool>());
    }

    /// <summary>
    /// Stores a new command at the end of its car's queue, in the caller's transaction, after <see cref="BeforeInsertAsync"/>:
    /// accepted, or already sent as frame <paramref name="cloudSeq"/> when it went straight into the car's outbox.
    /// </summary>
    internal static Task InsertAsync(DbConnection c, DbTransaction t, CommandRecord command, string? idempotencyKey, long? cloudSeq)
    {
        const string insert =
            """
            INSERT INTO vehicle_commands (id, vin, position, account_id, type, parameters, state, idempotency_key, created_at, sent_at, cloud_seq, expires_at)
            VALUES (@Id, @Vin, (SELECT COALESCE(MAX(position), 0) + 1 FROM vehicle_commands WHERE vin = @Vin),
                    @AccountId, @Type, @parameters, @State, @idempotencyKey, @createdAt, @sentAt, @cloudSeq, @expiresAt)
            """;
        var parameters = JsonSerializer.Serialize(command.Parameters);
        var (createdAt, sentAt, expiresAt) = (command.CreatedAt.ToUnixTimeMilliseconds(), command.SentAt?.ToUnixTimeMilliseconds(), command.ExpiresAt.ToUnixTimeMilliseconds());
        if (PreparedRow.For(c, insert) is { } prepared)
        {
            // SQLite's writer: the statement stays compiled and binds without a parameter object per value (the numbers are the
            // parameters' order of first appearance; @Vin twice is one).
            prepared.Text(1, command.Id).Text(2, command.Vin).Text(3, command.AccountId).Text(4, command.Type).Text(5, parameters).Text(6, command.State)
                .TextOrNull(7, idempotencyKey).Int64(8, createdAt).Int64(9, sentAt).Int64(10, cloudSeq).Int64(11, expiresAt).Execute();
            return Task.CompletedTask;
        }
        return c.ExecuteAsync(insert,
            new { command.Id, command.Vin, command.AccountId, command.Type, parameters, command.State, idempotencyKey, createdAt, sentAt, cloudSeq, expiresAt }, t);
    }

    // Every lookup of open commands names the open-commands index's condition (Open), so that SQLite's planner may use it
    // (a partial index is used only when the query has its WHERE term itself; migration 0057).
    private const string Open = "state IN ('accepted', 'sent')";

    internal const string WaitingSql = $"SELECT EXISTS (SELECT 1 FROM vehicle_commands WHERE {Open} AND state = 'accepted' AND vin = @vin AND expires_at > @nowMs)";

    /// <summary>Whether the car has a command waiting to be sent — a read, to spare a write transaction when not.</summary>
    public async Task<bool> HasWaitingAsync(string vin, DateTimeOffset now, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<bool>(WaitingSql, new { vin, nowMs = now.ToUnixTimeMilliseconds() }), cancellationToken);

    /// <summary>Which of <paramref name="vins"/> have a command waiting to be sent, in one query in the caller's transaction.</summary>
    internal async Task<IReadOnlyList<string>> WithWaitingAsync(DbConnection c, DbTransaction t, IReadOnlyCollection<string> vins, DateTimeOffset now)
    {
        if (vins.Count == 0)
        {
            return [];
        }
        const string waiting = $"SELECT DISTINCT vin FROM vehicle_commands WHERE {Open} AND state = 'accepted' AND expires_at > @nowMs AND ";
        var arguments = new { vins = vins.ToArray(), nowMs = now.ToUnixTimeMilliseconds() };
        if (database.Dialect != SqlDialect.Postgres)
        {
            // Dapper expands a list into (@vins1, @vins2, …) for SQLite; to Npgsql it passes one array parameter, which IN does not take.
            return [.. await c.QueryAsync<string>(waiting + "vin IN @vins", arguments, t)];
        }
        // The cars' command locks first (in VIN order): a hand-over under way, which may have stored a command as waiting
        // behind the one that just ended, commits before the query below looks; one that starts later sees that command
        // ended and sends the next itself. Without them, a command stored meanwhile would wait for the command job.
        await using var results = await c.QueryMultipleAsync(
            "SELECT count(pg_advisory_xact_lock(hashtext(v))) FROM (SELECT unnest(@vins) AS v ORDER BY 1) cars; " + waiting + "vin = ANY(@vins)", arguments, t);
        await results.ReadAsync<long>();
        return [.. await results.ReadAsync<string>()];
    }

    public async Task<CommandRecord?> FindAsync(string vin, string id, DateTimeOffset since, CancellationToken cancellationToken) =>
        Map(await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row?>(
            $"SELECT {Columns} FROM vehicle_commands WHERE vin = @vin AND id = @id AND created_at >= @since",
            new { vin, id, since = since.ToUnixTimeMilliseconds() }), cancellationToken));

    /// <summary>Newest first, from <paramref name="since"/> on: a new owner or driver does not see what came before them.</summary>
    public async Task<IReadOnlyList<CommandRecord>> HistoryAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM vehicle_commands WHERE vin = @vin AND created_at >= @since ORDER BY position DESC LIMIT @limit",
            new { vin, since = since.ToUnixTimeMilliseconds(), limit }), cancellationToken))
        .Select(r => Map(r)!).ToList();

    /// <summary>The car's next command when none is in flight (one at a time, in order); in the caller's transaction.</summary>
    internal async Task<CommandRecord?> NextToSendAsync(DbConnection c, DbTransaction t, string vin, DateTimeOffset now)
    {
        await LockCarAsync(c, t, vin);
        return Map(await c.QuerySingleOrDefaultAsync<Row?>(
            $"""
            SELECT {Columns} FROM vehicle_commands
            WHERE {Open} AND vin = @vin AND state = 'accepted' AND expires_at > @nowMs
              AND NOT EXISTS (SELECT 1 FROM vehicle_commands WHERE {Open} AND vin = @vin AND state = 'sent' AND expires_at > @nowMs)
            ORDER BY position LIMIT 1
            """, new { vin, nowMs = now.ToUnixTimeMilliseconds() }, t));
    }

    /// <summary>The command is in the car's outbox as frame <paramref name="seq"/>.</summary>
    internal static Task MarkSentAsync(DbConnection c, DbTransaction t, string id, long seq, DateTimeOffset now) =>
        c.ExecuteAsync("UPDATE vehicle_commands SET state = 'sent', sent_at = @now, cloud_seq = @seq WHERE id = @id",
            new { id, seq, now = now.ToUnixTimeMilliseconds() }, t);

    /// <summary>Ends the open commands of a car (of one account, or everyone's) because access ended; returns the outbox seqs to withdraw.</summary>
    internal static async Task<IReadOnlyList<long>> RevokeAsync(DbConnection c, DbTransaction t, string vin, string? accountId, DateTimeOffset now)
    {
        var seqs = (await c.QueryAsync<long?>(
            $"SELECT cloud_seq FROM vehicle_commands WHERE {Open} AND vin = @vin AND (@accountId IS NULL OR account_id = @accountId)",
            new { vin, accountId }, t)).OfType<long>().ToList();
        await c.ExecuteAsync(
            $"""
            UPDATE vehicle_commands SET state = 'expired', reason = 'access_revoked', completed_at = @now
            WHERE {Open} AND vin = @vin AND (@accountId IS NULL OR account_id = @accountId)
            """, new { vin, accountId, now = now.ToUnixTimeMilliseconds() }, t);
        return seqs;
    }

    /// <summary>On PostgreSQL, one car's command bookkeeping runs one transaction at a time; SQLite's single writer already does.</summary>
    private async Task LockCarAsync(DbConnection c, DbTransaction t, string vin)
    {
        if (database.Dialect == SqlDialect.Postgres)
        {
            await c.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext(@vin))", new { vin }, t);
        }
    }

    /// <summary>The car's outcome; only a sent command can end this way (a late or repeated result changes nothing).</summary>
    /// <returns>The command as it ended, or null when it was not waiting for this result.</returns>
    /// <param name="outcome">Given the command's type: performed or not, and why not.</param>
    /// <param name="anyType">The outcome is the same whatever the command's type: then one statement, with no read first.</param>
    internal static async Task<CommandRecord?> CompleteAsync(
        DbConnection c, DbTransaction t, string vin, string id, Func<string, (bool Performed, string? Reason)> outcome, bool anyType, DateTimeOffset now)
    {
        if (anyType)
        {
            var (done, why) = outcome("");
            var (endState, endReason) = done ? (CommandStates.Performed, (string?)null) : (CommandStates.Failed, why);
            if (PreparedRow.For(c, CompleteSql) is { } complete)
            {
                // The writer's compiled statement: every command's result comes this way (no Dapper reader or binders per result).
                return Map(complete.Text(1, endState).TextOrNull(2, endReason).Int64(3, now.ToUnixTimeMilliseconds()).Text(4, id).Text(5, vin)
                    .First(ReadRow));
            }
            return Map(await c.QuerySingleOrDefaultAsync<Row?>(CompleteSql,
                new { endState, endReason, now = now.ToUnixTimeMilliseconds(), id, vin }, t));
        }
        if (await c.QuerySingleOrDefaultAsync<Row?>($"SELECT {Columns} FROM vehicle_commands WHERE id = @id AND vin = @vin AND state = 'sent'", new { id, vin }, t)
            is not { } sent)
        {
            return null;
        }
        var (performed, reason) = outcome(sent.Type);
        var state = performed ? CommandStates.Performed : CommandStates.Failed;
        reason = performed ? null : reason;
        await c.ExecuteAsync("UPDATE vehicle_commands SET state = @state, reason = @reason, completed_at = @now WHERE id = @id",
            new { id, state, reason, now = now.ToUnixTimeMilliseconds() }, t);
        return Map(sent)! with { State = state, Reason = reason, CompletedAt = now };
    }

    internal const string DueSql = $"SELECT {Columns} FROM vehicle_commands WHERE {Open} AND expires_at <= @nowMs LIMIT 1000";

    /// <summary>Expires what the car did not do in time; returns them.</summary>
    public async Task<IReadOnlyList<CommandRecord>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await database.WriteAsync(async (c, t) =>
        {
            var nowMs = now.ToUnixTimeMilliseconds();
            var due = (await c.QueryAsync<Row>(DueSql, new { nowMs }, t)).ToList();
            foreach (var row in due)
            {
                await c.ExecuteAsync(
                    $"UPDATE vehicle_commands SET state = 'expired', reason = 'vehicle_offline', completed_at = @nowMs WHERE id = @id AND {Open}",
                    new { id = row.Id, nowMs }, t);
            }
            return due;
        }, cancellationToken)).Select(r => Map(r)! with { State = CommandStates.Expired, Reason = "vehicle_offline", CompletedAt = now }).ToList();

    /// <summary>Cars with commands waiting while none is in flight (a safety net should a hand-off have been missed).</summary>
    public async Task<IReadOnlyList<string>> WaitingVinsAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>(
            $"""
            SELECT DISTINCT vin FROM vehicle_commands w WHERE {Open} AND state = 'accepted' AND expires_at > @nowMs
            AND NOT EXISTS (SELECT 1 FROM vehicle_commands s WHERE s.{Open} AND s.vin = w.vin AND s.state = 'sent' AND s.expires_at > @nowMs)
            LIMIT 1000
            """, new { nowMs = now.ToUnixTimeMilliseconds() }), cancellationToken)).ToList();

    private static CommandRecord? Map(Row? r) => r is null
        ? null
        : new CommandRecord(r.Id, r.Vin, r.AccountId, r.Type, JsonSerializer.Deserialize<Dictionary<string, string>>(r.Parameters)!, r.State, r.Reason,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt), At(r.SentAt), At(r.CompletedAt), DateTimeOffset.FromUnixTimeMilliseconds(r.ExpiresAt));

    private const string CompleteSql =
        $"UPDATE vehicle_commands SET state = @endState, reason = @endReason, completed_at = @now WHERE id = @id AND vin = @vin AND state = 'sent' RETURNING {Columns}";

    /// <summary>A row of <see cref="Columns"/>, in their order.</summary>
    private static Row ReadRow(PreparedRow.Columns r) => new()
    {
        Id = r.Text(0), Vin = r.Text(1), AccountId = r.Text(2), Type = r.Text(3), Parameters = r.Text(4), State = r.Text(5), Reason = r.TextOrNull(6),
        CreatedAt = r.Int64(7), SentAt = r.Int64OrNull(8), CompletedAt = r.Int64OrNull(9), ExpiresAt = r.Int64(10),
    };

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string AccountId { get; init; } = "";
        public string Type { get; init; } = "";
        public string Parameters { get; init; } = "{}";
        public string State { get; init; } = "";
        public string? Reason { get; init; }
        public long CreatedAt { get; init; }
        public long? SentAt { get; init; }
        public long? CompletedAt { get; init; }
        public long ExpiresAt { get; init; }
    }
}
