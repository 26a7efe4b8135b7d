using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Dealers;

/// <summary>The SQL of the dealer directory, the dealers' staff and each car's preferred dealer.</summary>
internal sealed class DealerStore(Database database)
{
    private const string Columns =
        "id AS Id, name AS Name, street AS Street, postal_code AS PostalCode, city AS City, country AS Country, latitude AS Latitude, " +
        "longitude AS Longitude, phone AS Phone, email AS Email, time_zone AS TimeZone, opening_hours AS OpeningHours, services AS Services";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The dealers inside a box of latitude and longitude (all when null) whose name or city contains <paramref name="text"/>.</summary>
    public Task<IReadOnlyList<Dealer>> SearchAsync(
        (double South, double West, double North, double East)? box, string? text, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Dealer>>(async c => [.. (await c.QueryAsync<Row>(
            $"""
            SELECT {Columns} FROM dealers
            WHERE (@boxed = 0 OR (latitude BETWEEN @south AND @north AND longitude BETWEEN @west AND @east))
              AND (@text IS NULL OR LOWER(name) LIKE @text OR LOWER(city) LIKE @text OR postal_code LIKE @text)
            ORDER BY name
            """,
            new
            {
                boxed = box is null ? 0 : 1, south = box?.South ?? 0, west = box?.West ?? 0, north = box?.North ?? 0, east = box?.East ?? 0,
                text = string.IsNullOrWhiteSpace(text) ? null : $"%{text.Trim().ToLowerInvariant()}%",
            })).Select(r => r.ToDealer())], cancellationToken);

    public Task<Dealer?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(c => FindAsync(c, null, id), cancellationToken);

    public static async Task<Dealer?> FindAsync(DbConnection c, DbTransaction? t, string id) =>
        (await c.QueryAsync<Row>($"SELECT {Columns} FROM dealers WHERE id = @id", new { id }, t)).Select(r => r.ToDealer()).SingleOrDefault();

    /// <returns>False when a dealer with this id exists.</returns>
    public Task<bool> TryInsertAsync(Dealer d, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            """
            INSERT INTO dealers (id, name, street, postal_code, city, country, latitude, longitude, phone, email, time_zone, opening_hours, services, created_at)
            VALUES (@Id, @Name, @Street, @PostalCode, @City, @Country, @Latitude, @Longitude, @Phone, @Email, @TimeZone, @hours, @services, @at)
            ON CONFLICT (id) DO NOTHING
            """,
            new
            {
                d.Id, d.Name, d.Street, d.PostalCode, d.City, d.Country, d.Latitude, d.Longitude, d.Phone, d.Email, d.TimeZone,
                hours = JsonSerializer.Serialize(d.OpeningHours, Json), services = string.Join(',', d.Services), at = at.ToUnixTimeMilliseconds(),
            }, t) == 1, cancellationToken);

    /// <summary>The dealer a staff account works for, or null.</summary>
    public Task<string?> DealerOfAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>("SELECT dealer_id FROM dealer_staff WHERE account_id = @accountId", new { accountId }), cancellationToken);

    /// <summary>Links a staff account to a dealer (or moves it to another).</summary>
    public Task LinkStaffAsync(string accountId, string dealerId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO dealer_staff (account_id, dealer_id, linked_at) VALUES (@accountId, @dealerId, @at)
            ON CONFLICT (account_id) DO UPDATE SET dealer_id = excluded.dealer_id, linked_at = excluded.linked_at
            """, new { accountId, dealerId, at = at.ToUnixTimeMilliseconds() }, t), cancellationToken);

    public static async Task<IReadOnlyList<string>> StaffOfAsync(DbConnection c, DbTransaction t, string dealerId) =>
        [.. await c.QueryAsync<string>("SELECT account_id FROM dealer_staff WHERE dealer_id = @dealerId ORDER BY account_id", new { dealerId }, t)];

    public Task<(string DealerId, DateTimeOffset ChosenAt)?> PreferredAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<(string DealerId, long ChosenAt)>(
                "SELECT dealer_id, chosen_at FROM preferred_dealers WHERE vin = @vin", new { vin }))
            .Select(r => ((string, DateTimeOffset)?)(r.DealerId, StoredTime.Read(r.ChosenAt))).SingleOrDefault(), cancellationToken);

    public static Task<string?> PreferredAsync(DbConnection c, DbTransaction t, string vin) =>
        c.QuerySingleOrDefaultAsync<string?>("SELECT dealer_id FROM preferred_dealers WHERE vin = @vin", new { vin }, t);

    public Task SetPreferredAsync(string vin, string dealerId, string accountId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO preferred_dealers (vin, dealer_id, chosen_by, chosen_at) VALUES (@vin, @dealerId, @accountId, @at)
            ON CONFLICT (vin) DO UPDATE SET dealer_id = excluded.dealer_id, chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at
            """, new { vin, dealerId, accountId, at = at.ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <returns>The dealer that was preferred, or null when none was.</returns>
    public Task<string?> RevokePreferredAsync(string vin, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            var dealerId = await PreferredAsync(c, t, vin);
            await c.ExecuteAsync("DELETE FROM preferred_dealers WHERE vin = @vin", new { vin }, t);
            return dealerId;
        }, cancellationToken);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Street { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Country { get; init; } = "";
        public double Latitude { get; init; }
        public double Longitude { get; init; }
        public string? Phone { get; init; }
        public string? Email { get; init; }
        public string TimeZone { get; init; } = "";
        public string OpeningHours { get; init; } = "[]";
        public string Services { get; init; } = "";

        public Dealer ToDealer() => new(Id, Name, Street, PostalCode, City, Country, Latitude, Longitude, Phone, Email, TimeZone,
            JsonSerializer.Deserialize<OpeningHours[]>(OpeningHours, Json) ?? [], Services.Split(',', StringSplitOptions.RemoveEmptyEntries));
    }
}
