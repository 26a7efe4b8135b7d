using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.OwnersManual;

public sealed record ManualProfile(string Name, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt);

/// <summary>SQL for the manual's readers: profiles, favourites and visits (<c>manual_*</c>).</summary>
public sealed class ManualStore(Database database, TimeProvider time) : IVehicleAccessListener
{
    /// <summary>How often a reader's use moves the profile's "last used": once a day is enough for a one-year rule.</summary>
    private static readonly TimeSpan UseResolution = TimeSpan.FromDays(1);

    public async Task<ManualProfile?> ProfileAsync(string accountId, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<(string? Name, long CreatedAt, long LastUsedAt)>(
            "SELECT name, created_at, last_used_at FROM manual_profiles WHERE account_id = @accountId", new { accountId }), cancellationToken);
        return row.Name is null ? null : new ManualProfile(row.Name, StoredTime.Read(row.CreatedAt), StoredTime.Read(row.LastUsedAt));
    }

    public async Task<ManualProfile> SaveProfileAsync(string accountId, string name, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO manual_profiles (account_id, name, created_at, last_used_at) VALUES (@accountId, @name, @now, @now)
            ON CONFLICT (account_id) DO UPDATE SET name = excluded.name, last_used_at = excluded.last_used_at
            """, new { accountId, name, now }, t), cancellationToken);
        return (await ProfileAsync(accountId, cancellationToken))!;
    }

    /// <summary>Deletes the profile and everything the reader did with the manual.</summary>
    public Task DeleteProfileAsync(string accountId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM manual_favourites WHERE account_id = @accountId", new { accountId }, t);
            await c.ExecuteAsync("DELETE FROM manual_visits WHERE account_id = @accountId", new { accountId }, t);
            return await c.ExecuteAsync("DELETE FROM manual_profiles WHERE account_id = @accountId", new { accountId }, t);
        }, cancellationToken);

    /// <summary>Notes that the reader used the manual (at most once a day), so the profile lives on.</summary>
    public async Task TouchAsync(string accountId, ManualProfile profile, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now - profile.LastUsedAt < UseResolution)
        {
            return;
        }
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE manual_profiles SET last_used_at = @now WHERE account_id = @accountId", new { accountId, now = now.ToUnixTimeMilliseconds() }, t),
            cancellationToken);
    }

    public async Task<IReadOnlyList<string>> FavouritesAsync(string accountId, string vin, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT section_id FROM manual_favourites WHERE account_id = @accountId AND vin = @vin ORDER BY created_at DESC, section_id",
            new { accountId, vin }), cancellationToken)];

    public Task SetFavouriteAsync(string accountId, string vin, string sectionId, bool favourite, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => favourite
            ? c.ExecuteAsync(
                "INSERT INTO manual_favourites (account_id, vin, section_id, created_at) VALUES (@accountId, @vin, @sectionId, @now) ON CONFLICT DO NOTHING",
                new { accountId, vin, sectionId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t)
            : c.ExecuteAsync(
                "DELETE FROM manual_favourites WHERE account_id = @accountId AND vin = @vin AND section_id = @sectionId", new { accountId, vin, sectionId }, t),
            cancellationToken);

    /// <summary>The sections the reader opened last for the car, newest first.</summary>
    public async Task<IReadOnlyList<(string SectionId, DateTimeOffset VisitedAt)>> RecentAsync(
        string accountId, string vin, int limit, CancellationToken cancellationToken) =>
        [.. (await database.ReadAsync(c => c.QueryAsync<(string SectionId, long VisitedAt)>(
            "SELECT section_id, visited_at FROM manual_visits WHERE account_id = @accountId AND vin = @vin ORDER BY visited_at DESC, section_id LIMIT @limit",
            new { accountId, vin, limit }), cancellationToken)).Select(r => (r.SectionId, StoredTime.Read(r.VisitedAt)))];

    public Task VisitedAsync(string accountId, string vin, string sectionId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO manual_visits (account_id, vin, section_id, visited_at) VALUES (@accountId, @vin, @sectionId, @now)
            ON CONFLICT (account_id, vin, section_id) DO UPDATE SET visited_at = excluded.visited_at
            """, new { accountId, vin, sectionId, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>A section the car's own display opened, inside the ingest batch's transaction.</summary>
    public static Task CarVisitedAsync(DbConnection connection, DbTransaction transaction, string vin, string sectionId, DateTimeOffset at) =>
        connection.ExecuteAsync(
            """
            INSERT INTO manual_car_visits (vin, section_id, visited_at) VALUES (@vin, @sectionId, @at)
            ON CONFLICT (vin, section_id) DO UPDATE SET visited_at = excluded.visited_at
            """, new { vin, sectionId, at = at.ToUnixTimeMilliseconds() }, transaction);

    public async Task<IReadOnlyList<string>> CarRecentAsync(string vin, DateTimeOffset since, int limit, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<string>(
            "SELECT section_id FROM manual_car_visits WHERE vin = @vin AND visited_at >= @since ORDER BY visited_at DESC, section_id LIMIT @limit",
            new { vin, since = since.ToUnixTimeMilliseconds(), limit }), cancellationToken)];

    /// <summary>Whoever loses the car loses what they marked and visited for it; at unpairing the car's own visits go too.</summary>
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        // Two texts rather than "@accountId IS NULL": PostgreSQL cannot type a parameter that is only ever null.
        var whose = accountId is null ? "" : " AND account_id = @accountId";
        await connection.ExecuteAsync($"DELETE FROM manual_favourites WHERE vin = @vin{whose}", new { vin, accountId }, transaction);
        await connection.ExecuteAsync($"DELETE FROM manual_visits WHERE vin = @vin{whose}", new { vin, accountId }, transaction);
        if (accountId is null)
        {
            await connection.ExecuteAsync("DELETE FROM manual_car_visits WHERE vin = @vin", new { vin }, transaction);
        }
    }
}
