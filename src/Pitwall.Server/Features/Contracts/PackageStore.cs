using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Contracts;

/// <summary>SQL for <c>packages</c>, the catalogue.</summary>
public sealed class PackageStore(Database database, TimeProvider time)
{
    private const string Columns =
        "id AS Id, name AS Name, services AS Services, term_months AS TermMonths, price_minor AS PriceMinor, currency AS Currency, fits AS Fits, " +
        "needs_car_security_details AS NeedsCarSecurityDetails, active AS Active";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IReadOnlyList<Package>> ListAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>($"SELECT {Columns} FROM packages ORDER BY id"), cancellationToken)).Select(Map).ToList();

    public async Task<Package?> FindAsync(string id, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row?>($"SELECT {Columns} FROM packages WHERE id = @id", new { id }), cancellationToken)
            is { } row ? Map(row) : null;

    /// <returns>True when the package was new.</returns>
    public Task<bool> SaveAsync(Package p, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            ContractEntitlements.Changed(t); // a package's services or fit may change
            var existed = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM packages WHERE id = @Id", new { p.Id }, t) > 0;
            await c.ExecuteAsync(
                """
                INSERT INTO packages (id, name, services, term_months, price_minor, currency, fits, needs_car_security_details, active, updated_at)
                VALUES (@Id, @Name, @services, @TermMonths, @PriceMinor, @Currency, @fits, @needs, @active, @now)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, services = excluded.services, term_months = excluded.term_months,
                    price_minor = excluded.price_minor, currency = excluded.currency, fits = excluded.fits,
                    needs_car_security_details = excluded.needs_car_security_details, active = excluded.active, updated_at = excluded.updated_at
                """,
                new
                {
                    p.Id, p.Name, services = string.Join(',', p.Services), p.TermMonths, p.PriceMinor, p.Currency, fits = JsonSerializer.Serialize(p.Fits, Json),
                    needs = p.NeedsCarSecurityDetails ? 1 : 0, active = p.Active ? 1 : 0, now = time.GetUtcNow().ToUnixTimeMilliseconds(),
                }, t);
            return !existed;
        }, cancellationToken);

    private static Package Map(Row r) => new(
        r.Id, r.Name, r.Services.Split(',', StringSplitOptions.RemoveEmptyEntries), (int)r.TermMonths, r.PriceMinor, r.Currency,
        JsonSerializer.Deserialize<List<FitRule>>(r.Fits, Json) ?? [], r.NeedsCarSecurityDetails != 0, r.Active != 0);

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string Services { get; init; } = "";
        public long TermMonths { get; init; }
        public long PriceMinor { get; init; }
        public string Currency { get; init; } = "";
        public string Fits { get; init; } = "[]";
        public long NeedsCarSecurityDetails { get; init; }
        public long Active { get; init; }
    }
}
