using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>What became of a CommandResult the operator posted.</summary>
internal enum ResultOutcome
{
    /// <summary>No such command of this partner (and type).</summary>
    Unknown,
    Recorded,
    /// <summary>The command had ended already (a result after the deadline, or a second one): acknowledged, nothing changed.</summary>
    Late,
}

/// <summary>SQL for the commands Pitwall sent to operators (<c>charging_commands</c>).</summary>
internal sealed class ChargingCommandStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id, account_id AS AccountId, vin, partner_id AS PartnerId, command, location_id AS LocationId, evse_uid AS EvseUid, evse_id AS EvseId, " +
        "connector_id AS ConnectorId, session_id AS SessionId, status, response, result, message, deadline, created_at AS CreatedAt, updated_at AS UpdatedAt";

    public Task AddAsync(ChargingCommand command, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO charging_commands (id, account_id, vin, partner_id, command, location_id, evse_uid, evse_id, connector_id, session_id, status,
                deadline, created_at, updated_at)
            VALUES (@Id, @AccountId, @Vin, @PartnerId, @Command, @LocationId, @EvseUid, @EvseId, @ConnectorId, @SessionId, @Status, @Deadline, @CreatedAt, @CreatedAt)
            """, new
            {
                command.Id, command.AccountId, command.Vin, command.PartnerId, command.Command, command.LocationId, command.EvseUid, command.EvseId,
                command.ConnectorId, command.SessionId, command.Status, Deadline = command.Deadline.ToUnixTimeMilliseconds(),
                CreatedAt = command.CreatedAt.ToUnixTimeMilliseconds(),
            }, t), cancellationToken);

    public async Task<ChargingCommand?> FindAsync(string accountId, string id, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM charging_commands WHERE id = @id AND account_id = @accountId",
            new { id, accountId }), cancellationToken))?.ToCommand();

    /// <summary>The account's latest commands for the car, newest first.</summary>
    public async Task<IReadOnlyList<ChargingCommand>> LatestAsync(string accountId, string vin, int count, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM charging_commands WHERE account_id = @accountId AND vin = @vin ORDER BY created_at DESC, id LIMIT @count",
            new { accountId, vin, count }), cancellationToken)).Select(r => r.ToCommand())];

    /// <summary>A command whatever its account (for the live event after the operator's result).</summary>
    public async Task<ChargingCommand?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM charging_commands WHERE id = @id", new { id }),
            cancellationToken))?.ToCommand();

    /// <summary>The operator's answer. <c>ACCEPTED</c>: the result is awaited until <paramref name="deadline"/> (unless it came
    /// already); any other answer ends the command as rejected; null (unreachable, not OCPI): failed.</summary>
    public Task AnsweredAsync(string id, string? response, string? message, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var status = response switch
        {
            CommandTypes.Accepted => ChargingCommand.Accepted,
            null => ChargingCommand.Failed,
            _ => ChargingCommand.Rejected,
        };
        return database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE charging_commands SET response = @response, message = COALESCE(message, @message), updated_at = @now,
                status = CASE WHEN status = 'sending' THEN @status ELSE status END,
                deadline = CASE WHEN status = 'sending' THEN @deadline ELSE deadline END
            WHERE id = @id
            """, new { id, response, message, status, deadline = deadline.ToUnixTimeMilliseconds(), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t),
            cancellationToken);
    }

    /// <summary>The charge point's result, posted by the partner the command went to, while the command is open.</summary>
    public async Task<ResultOutcome> ResultAsync(string partnerId, string command, string id, string result, string? message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var args = new
        {
            id, partnerId, command, result, message, now,
            status = result == CommandTypes.Accepted ? ChargingCommand.Performed : ChargingCommand.Failed,
        };
        return await database.WriteAsync(async (c, t) =>
        {
            var updated = await c.ExecuteAsync(
                """
                UPDATE charging_commands SET result = @result, message = @message, status = @status, updated_at = @now
                WHERE id = @id AND partner_id = @partnerId AND command = @command AND status IN ('sending', 'accepted') AND deadline > @now
                """, args, t);
            if (updated == 1)
            {
                return ResultOutcome.Recorded;
            }
            var known = await c.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM charging_commands WHERE id = @id AND partner_id = @partnerId AND command = @command", args, t);
            return known == 0 ? ResultOutcome.Unknown : ResultOutcome.Late;
        }, cancellationToken);
    }

    /// <summary>Every open command past its deadline fails with <c>TIMEOUT</c>: the result never came (OCPI gives no retries).</summary>
    public Task<int> TimeOutAsync(CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE charging_commands SET status = 'failed', result = 'TIMEOUT', updated_at = deadline
            WHERE status IN ('sending', 'accepted') AND deadline <= @now
            """, new { now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string AccountId { get; set; } = "";
        public string Vin { get; set; } = "";
        public string PartnerId { get; set; } = "";
        public string Command { get; set; } = "";
        public string? LocationId { get; set; }
        public string? EvseUid { get; set; }
        public string? EvseId { get; set; }
        public string? ConnectorId { get; set; }
        public string? SessionId { get; set; }
        public string Status { get; set; } = "";
        public string? Response { get; set; }
        public string? Result { get; set; }
        public string? Message { get; set; }
        public long Deadline { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public ChargingCommand ToCommand() => new(Id, AccountId, Vin, PartnerId, Command, LocationId, EvseUid, EvseId, ConnectorId, SessionId, Status, Response,
            Result, Message, StoredTime.Read(Deadline), StoredTime.Read(CreatedAt), StoredTime.Read(UpdatedAt));
    }
}
