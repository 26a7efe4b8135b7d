using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>A theft of a car without Car Security (B4): nobody tracks it, but it is noted so that the package cannot be bought for it.</summary>
/// <param name="Source"><see cref="CaseSources.Car"/> (the car entered theft mode) or <see cref="CaseSources.Owner"/> (reported in the app).</param>
public sealed record UncoveredTheft(string Id, string Vin, string IncidentId, string Source, string Reason, DateTimeOffset StartedAt, DateTimeOffset? EndedAt)
{
    public bool Ongoing => EndedAt is null;
}

/// <summary>
/// The incidents of cars without Car Security (B4: "after a theft the package cannot be newly bought for that incident").
/// A car noticed by the car ends when the car leaves theft mode (its owner's key); one the owner reported ends when the
/// owner says the car is back. Only the times are kept — no position and no tracking, since no service covers them.
/// </summary>
public sealed class UncoveredThefts(Database database)
{
    public const string OwnerReport = "owner_report";

    private const string Columns =
        "id AS Id, vin AS Vin, incident_id AS IncidentId, source AS Source, reason AS Reason, started_at AS StartedAt, ended_at AS EndedAt";

    /// <summary>Notes the start of an incident once (a resent start changes nothing).</summary>
    internal static Task StartedAsync(DbConnection c, DbTransaction t, string vin, string incidentId, string source, string reason, DateTimeOffset at) =>
        InsertAsync(c, t, new UncoveredTheft(Guid.CreateVersion7(at).ToString(), vin, incidentId, source, reason, at, null));

    private static Task InsertAsync(DbConnection c, DbTransaction t, UncoveredTheft u) =>
        c.ExecuteAsync(
            """
            INSERT INTO uncovered_thefts (id, vin, incident_id, source, reason, started_at) VALUES (@Id, @Vin, @IncidentId, @Source, @Reason, @at)
            ON CONFLICT (vin, incident_id) DO NOTHING
            """,
            new { u.Id, u.Vin, u.IncidentId, u.Source, u.Reason, at = u.StartedAt.ToUnixTimeMilliseconds() }, t);

    /// <returns>False when no such incident is ongoing.</returns>
    internal static async Task<bool> EndedAsync(DbConnection c, DbTransaction t, string vin, string incidentId, DateTimeOffset at) =>
        await c.ExecuteAsync(
            "UPDATE uncovered_thefts SET ended_at = @at WHERE vin = @vin AND incident_id = @incidentId AND ended_at IS NULL",
            new { vin, incidentId, at = at.ToUnixTimeMilliseconds() }, t) == 1;

    internal static Task DeleteEndedAsync(DbConnection c, DbTransaction t, string vin) =>
        c.ExecuteAsync("DELETE FROM uncovered_thefts WHERE vin = @vin AND ended_at IS NOT NULL", new { vin }, t);

    internal static async Task<bool> IsNotedAsync(DbConnection c, DbTransaction t, string vin, string incidentId) =>
        await c.ExecuteScalarAsync<long>("SELECT count(*) FROM uncovered_thefts WHERE vin = @vin AND incident_id = @incidentId", new { vin, incidentId }, t) > 0;

    internal static Task<UncoveredTheft?> OngoingAsync(DbConnection c, DbTransaction? t, string vin) =>
        FindAsync(c, t, "vin = @vin AND ended_at IS NULL ORDER BY started_at LIMIT 1", new { vin });

    /// <summary>The owner reports a theft of a car without Car Security: noted once — a second report while it lasts returns the first.</summary>
    public Task<UncoveredTheft> NoteOwnerReportAsync(string vin, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (await OngoingAsync(c, t, vin) is { } ongoing)
            {
                return ongoing;
            }
            // To the millisecond, as stored.
            var started = DateTimeOffset.FromUnixTimeMilliseconds(at.ToUnixTimeMilliseconds());
            var noted = new UncoveredTheft(Guid.CreateVersion7(started).ToString(), vin, Guid.NewGuid().ToString(), CaseSources.Owner, OwnerReport, started, null);
            await InsertAsync(c, t, noted);
            return noted;
        }, cancellationToken);

    /// <summary>The owner says the car is back. Only for what the owner reported: a theft the car noticed ends when the car
    /// leaves theft mode.</summary>
    /// <returns>The incident (unchanged when it had ended), or null when the car has no such incident.</returns>
    public Task<UncoveredTheft?> EndOwnerReportAsync(string vin, string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var found = await FindAsync(c, t, "vin = @vin AND id = @id", new { vin, id });
            if (found is not { Ongoing: true, Source: CaseSources.Owner })
            {
                return found;
            }
            await EndedAsync(c, t, vin, found.IncidentId, at);
            return found with { EndedAt = at };
        }, cancellationToken);

    /// <param name="where">The condition (and order) after WHERE, with parameters from <paramref name="args"/>.</param>
    private static async Task<UncoveredTheft?> FindAsync(DbConnection c, DbTransaction? t, string where, object args) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM uncovered_thefts WHERE {where}", args, t)).Select(Map).FirstOrDefault();

    public async Task<bool> IsOngoingAsync(string vin, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => OngoingAsync(c, null, vin), cancellationToken) is not null;

    /// <summary>The car's incidents that started since <paramref name="since"/>, newest first.</summary>
    public async Task<IReadOnlyList<UncoveredTheft>> ForVehicleAsync(string vin, DateTimeOffset since, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>(
            $"SELECT {Columns} FROM uncovered_thefts WHERE vin = @vin AND started_at >= @since ORDER BY started_at DESC, id DESC",
            new { vin, since = since.ToUnixTimeMilliseconds() }), cancellationToken)).Select(Map).ToList();

    private static UncoveredTheft Map(Row r) => new(r.Id, r.Vin, r.IncidentId, r.Source, r.Reason, DateTimeOffset.FromUnixTimeMilliseconds(r.StartedAt),
        r.EndedAt is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null);

    private sealed record Row(string Id, string Vin, string IncidentId, string Source, string Reason, long StartedAt, long? EndedAt);
}
