using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The SQL of service appointments and of the dealer's access to a car's data that follows from them.</summary>
internal sealed class AppointmentStore(Database database)
{
    /// <summary>The open states as an SQL list of literals (constants, never input; Dapper passes lists to PostgreSQL as arrays).</summary>
    private static readonly string OpenStates = InList(AppointmentStates.Open);

    private const string Columns =
        "id AS Id, vin AS Vin, dealer_id AS DealerId, requested_by AS RequestedBy, channel AS Channel, state AS State, reason AS Reason, " +
        "requested_slots AS RequestedSlots, starts_at AS StartsAt, duration_min AS DurationMinutes, dealer_note AS DealerNote, " +
        "created_at AS CreatedAt, updated_at AS UpdatedAt, car_request_id AS CarRequestId";

    public static Task InsertAsync(DbConnection c, DbTransaction t, Appointment a, string? carRequestId) =>
        c.ExecuteAsync(
            """
            INSERT INTO service_appointments (id, vin, dealer_id, requested_by, channel, car_request_id, state, reason, requested_slots,
                starts_at, duration_min, dealer_note, created_at, updated_at)
            VALUES (@Id, @Vin, @DealerId, @RequestedBy, @Channel, @carRequestId, @State, @Reason, @slots, NULL, @DurationMinutes, NULL, @at, @at)
            """,
            new
            {
                a.Id, a.Vin, a.DealerId, a.RequestedBy, a.Channel, carRequestId, a.State, a.Reason, a.DurationMinutes,
                slots = JsonSerializer.Serialize(a.RequestedSlots.Select(s => s.ToUnixTimeMilliseconds())), at = a.CreatedAt.ToUnixTimeMilliseconds(),
            }, t);

    public static async Task<bool> CarRequestExistsAsync(DbConnection c, DbTransaction t, string vin, string carRequestId) =>
        await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM service_appointments WHERE vin = @vin AND car_request_id = @carRequestId",
            new { vin, carRequestId }, t) > 0;

    public static async Task<Appointment?> FindAsync(DbConnection c, DbTransaction? t, string id) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM service_appointments WHERE id = @id", new { id }, t)).Select(r => r.ToAppointment()).SingleOrDefault();

    public Task<Appointment?> FindAsync(string id, CancellationToken cancellationToken) => database.ReadAsync(c => FindAsync(c, null, id), cancellationToken);

    /// <summary>Moves the appointment on when it is still in one of <paramref name="from"/>; false when it moved meanwhile.</summary>
    public static async Task<bool> MoveAsync(
        DbConnection c, DbTransaction t, string id, IReadOnlyList<string> from, string to, DateTimeOffset? startsAt, int durationMinutes, string? note,
        DateTimeOffset at) =>
        await c.ExecuteAsync(
            $"""
            UPDATE service_appointments SET state = @to, starts_at = @startsAt, duration_min = @durationMinutes, dealer_note = @note, updated_at = @at
            WHERE id = @id AND state IN {InList(from)}
            """,
            new { id, to, startsAt = startsAt?.ToUnixTimeMilliseconds(), durationMinutes, note, at = at.ToUnixTimeMilliseconds() }, t) == 1;

    /// <summary>The car's appointments since <paramref name="since"/> (a new owner does not see the car's earlier ones), newest first.</summary>
    public Task<IReadOnlyList<Appointment>> OfCarAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Appointment>>(async c => [.. (await c.QueryAsync<Row>(
                $"SELECT {Columns} FROM service_appointments WHERE vin = @vin AND created_at >= @since ORDER BY created_at DESC, id LIMIT 200",
                new { vin, since = since.ToUnixTimeMilliseconds() }))
            .Select(r => r.ToAppointment())], cancellationToken);

    /// <summary>A dealer's appointments, open ones first, then by start or request time.</summary>
    public Task<IReadOnlyList<Appointment>> OfDealerAsync(string dealerId, bool openOnly, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Appointment>>(async c => [.. (await c.QueryAsync<Row>(
                $"""
                SELECT {Columns} FROM service_appointments WHERE dealer_id = @dealerId AND (@openOnly = 0 OR state IN {OpenStates})
                ORDER BY CASE WHEN state IN {OpenStates} THEN 0 ELSE 1 END, COALESCE(starts_at, created_at) DESC, id LIMIT 500
                """,
                new { dealerId, openOnly = openOnly ? 1 : 0 }))
            .Select(r => r.ToAppointment())], cancellationToken);

    /// <summary>Whether the dealer may read the car's data: it is the car's preferred dealer, or the car has an open appointment with it.</summary>
    public Task<bool> DealerMayReadAsync(string dealerId, string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(
            $"""
            SELECT (SELECT COUNT(*) FROM preferred_dealers WHERE vin = @vin AND dealer_id = @dealerId)
                 + (SELECT COUNT(*) FROM service_appointments WHERE vin = @vin AND dealer_id = @dealerId AND state IN {OpenStates})
            """, new { vin, dealerId }) > 0, cancellationToken);

    public static async Task<bool> HasOpenAsync(DbConnection c, DbTransaction? t, string vin, string dealerId) =>
        await c.ExecuteScalarAsync<long>(
            $"SELECT COUNT(*) FROM service_appointments WHERE vin = @vin AND dealer_id = @dealerId AND state IN {OpenStates}",
            new { vin, dealerId }, t) > 0;

    public Task<bool> HasOpenAsync(string vin, string dealerId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => HasOpenAsync(c, null, vin, dealerId), cancellationToken);

    private static string InList(IReadOnlyList<string> states) => $"({string.Join(", ", states.Select(s => $"'{s}'"))})";

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string DealerId { get; init; } = "";
        public string? RequestedBy { get; init; }
        public string Channel { get; init; } = "";
        public string State { get; init; } = "";
        public string Reason { get; init; } = "";
        public string RequestedSlots { get; init; } = "[]";
        public long? StartsAt { get; init; }
        public long DurationMinutes { get; init; }
        public string? DealerNote { get; init; }
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public string? CarRequestId { get; init; }

        public Appointment ToAppointment() => new(
            Id, Vin, DealerId, RequestedBy, Channel, State, Reason,
            [.. (JsonSerializer.Deserialize<long[]>(RequestedSlots) ?? []).Select(StoredTime.Read)],
            StartsAt is { } s ? StoredTime.Read(s) : null, (int)DurationMinutes, DealerNote, StoredTime.Read(CreatedAt), StoredTime.Read(UpdatedAt),
            CarRequestId);
    }
}
