using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>SQL for the registry (<c>vehicles</c>) and its users (<c>vehicle_users</c>).</summary>
public sealed class VehicleStore(Database database, IServiceProvider services, TimeProvider time) : IVehicleAccess, IVehicleDirectory
{
    // Bumped by every committed change of who may use which car, in this process (any instance in it: tests run several).
    private static long s_accessChanges;

    /// <summary>Every request through the vehicle-service gate asks for its grant; kept as briefly as an access token is.</summary>
    private readonly ShortLivedCache<(string AccountId, string Vin), VehicleGrant> _grants =
        new(database.Dialect == SqlDialect.Sqlite ? TimeSpan.FromSeconds(2) : TimeSpan.Zero);

    /// <summary>Access to a vehicle is granted or ends in this transaction: cached grants are forgotten once it commits.</summary>
    internal static void AccessChanged(System.Data.Common.DbTransaction transaction) =>
        Database.AfterCommit(transaction, () => Interlocked.Increment(ref s_accessChanges));

    private const string Columns =
        "v.vin AS Vin, v.model AS Model, v.model_year AS ModelYear, v.colour AS Colour, v.registration_number AS RegistrationNumber, v.created_at AS CreatedAt";

    public Task<Vehicle?> FindAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => Map(await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM vehicles v WHERE v.vin = @vin", new { vin })),
            cancellationToken);

    public Task<byte[]?> SecretOfAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.QuerySingleOrDefaultAsync<string?>("SELECT secret FROM vehicles WHERE vin = @vin", new { vin }) is { } s
            ? Convert.FromBase64String(s)
            : null, cancellationToken);

    /// <returns>False when the VIN is registered already.</returns>
    public Task<bool> TryRegisterAsync(Vehicle vehicle, byte[]? secret, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            if (!await TryRegisterAsync(c, t, vehicle, secret))
            {
                return false;
            }
            // Resolved late: listeners (e.g. contracts) depend on the vehicle store themselves.
            foreach (var listener in services.GetServices<IVehicleRegistrationListener>())
            {
                await listener.OnRegisteredAsync(c, t, vehicle);
            }
            return true;
        }, cancellationToken);

    internal static async Task<bool> TryRegisterAsync(DbConnection c, DbTransaction t, Vehicle v, byte[]? secret) =>
        await c.ExecuteAsync(
            """
            INSERT INTO vehicles (vin, model, model_year, colour, registration_number, secret, created_at)
            VALUES (@Vin, @Model, @ModelYear, @Colour, @RegistrationNumber, @secret, @createdAt)
            ON CONFLICT (vin) DO NOTHING
            """,
            new { v.Vin, v.Model, v.ModelYear, v.Colour, v.RegistrationNumber, secret = secret is null ? null : Convert.ToBase64String(secret), createdAt = v.CreatedAt.ToUnixTimeMilliseconds() },
            t) == 1;

    public async Task<VehicleRole?> RoleOfAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        var role = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<string?>(
            "SELECT role FROM vehicle_users WHERE vin = @vin AND account_id = @accountId", new { vin, accountId }), cancellationToken);
        return role is null ? null : VehicleRoles.Parse(role);
    }

    public Task<DateTimeOffset?> AccessSinceAsync(string accountId, string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.QuerySingleOrDefaultAsync<long?>(
            "SELECT created_at FROM vehicle_users WHERE vin = @vin AND account_id = @accountId", new { vin, accountId }) is { } ms
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null, cancellationToken);

    public async Task<VehicleGrant?> GrantAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = Interlocked.Read(ref s_accessChanges); // before the read: a change committing meanwhile makes the entry stale
        if (_grants.TryGet((accountId, vin), changes, now, out var cached))
        {
            return cached;
        }
        var rows = await database.ReadAsync(c => c.QueryAsync<(string Role, long Since)>(
            "SELECT role, created_at FROM vehicle_users WHERE vin = @vin AND account_id = @accountId", new { vin, accountId }), cancellationToken);
        if (rows.ToList() is not [var row])
        {
            return null; // not kept: access may be granted any moment, and a refusal is no hot path
        }
        var grant = new VehicleGrant(vin, VehicleRoles.Parse(row.Role), DateTimeOffset.FromUnixTimeMilliseconds(row.Since));
        return _grants.Set((accountId, vin), grant, changes, now, DateTimeOffset.MaxValue);
    }

    public async Task<IReadOnlyList<string>> UsersOfAsync(DbConnection connection, DbTransaction transaction, string vin) =>
        [.. await connection.QueryAsync<string>("SELECT account_id FROM vehicle_users WHERE vin = @vin ORDER BY account_id", new { vin }, transaction)];

    public async Task<IReadOnlyList<string>> VinsOfAsync(string accountId, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<string>("SELECT vin FROM vehicle_users WHERE account_id = @accountId", new { accountId }), cancellationToken)).ToList();

    /// <summary>The account's vehicles with its role on each; the owner filter sits in the WHERE (DESIGN §5).</summary>
    public async Task<IReadOnlyList<(Vehicle Vehicle, VehicleRole Role)>> ListForAsync(string accountId, string? vin, CancellationToken cancellationToken) =>
        (await RowsForAsync(accountId, vin, cancellationToken)).Select(r => (Map(r)!, VehicleRoles.Parse(r.Role!))).ToList();

    /// <summary>One of the account's vehicles, with the account's role and since when it has had this access (as
    /// <see cref="AccessSinceAsync"/>); null for a VIN that is not among them.</summary>
    public async Task<(Vehicle Vehicle, VehicleRole Role, DateTimeOffset AccessSince)?> MineAsync(string accountId, string vin, CancellationToken cancellationToken) =>
        await RowsForAsync(accountId, vin, cancellationToken) is [var r]
            ? (Map(r)!, VehicleRoles.Parse(r.Role!), DateTimeOffset.FromUnixTimeMilliseconds(r.AccessSince))
            : null;

    private async Task<List<Row>> RowsForAsync(string accountId, string? vin, CancellationToken cancellationToken) =>
        [.. await database.ReadAsync(c => c.QueryAsync<Row>(
            $"""
            SELECT {Columns}, u.role AS Role, u.created_at AS AccessSince FROM vehicles v JOIN vehicle_users u ON u.vin = v.vin
            WHERE u.account_id = @accountId AND (@vin IS NULL OR v.vin = @vin) ORDER BY v.vin
            """, new { accountId, vin }), cancellationToken)];

    /// <summary>The most recently registered vehicles, for the administrators' list.</summary>
    public async Task<IReadOnlyList<Vehicle>> RecentAsync(int limit, CancellationToken cancellationToken) =>
        (await SearchAsync(null, 0, limit, cancellationToken)).Vehicles;

    /// <summary>
    /// Registered vehicles whose VIN, registration number or model contains <paramref name="text"/> (any case; every
    /// vehicle when it is empty), newest first, with how many match in all.
    /// </summary>
    public Task<(IReadOnlyList<Vehicle> Vehicles, int Total)> SearchAsync(string? text, int offset, int limit, CancellationToken cancellationToken)
    {
        // LIKE's wildcards in the text are meant literally; UPPER on both sides because PostgreSQL's LIKE minds case.
        var pattern = string.IsNullOrWhiteSpace(text)
            ? null
            : "%" + text.Trim().ToUpperInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        const string Where =
            "WHERE @pattern IS NULL OR UPPER(v.vin) LIKE @pattern ESCAPE '\\' OR UPPER(COALESCE(v.registration_number, '')) LIKE @pattern ESCAPE '\\' " +
            "OR UPPER(v.model) LIKE @pattern ESCAPE '\\'";
        return database.ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM vehicles v {Where}", new { pattern });
            var rows = await c.QueryAsync<Row>(
                $"SELECT {Columns} FROM vehicles v {Where} ORDER BY v.created_at DESC, v.vin LIMIT @limit OFFSET @offset", new { pattern, limit, offset });
            return ((IReadOnlyList<Vehicle>)[.. rows.Select(r => Map(r)!)], (int)total);
        }, cancellationToken);
    }

    public async Task<IReadOnlyList<(string AccountId, VehicleRole Role)>> UsersOfAsync(string vin, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string, string)>(
            "SELECT account_id, role FROM vehicle_users WHERE vin = @vin ORDER BY created_at", new { vin }), cancellationToken))
        .Select(r => (r.Item1, VehicleRoles.Parse(r.Item2))).ToList();

    /// <summary>The account of the vehicle's primary user, or null when it has none.</summary>
    public async Task<string?> PrimaryUserAsync(string vin, CancellationToken cancellationToken) =>
        (await UsersOfAsync(vin, cancellationToken)).FirstOrDefault(u => u.Role == VehicleRole.Primary).AccountId;

    private static Vehicle? Map(Row? r) => r is null
        ? null
        : new Vehicle(r.Vin, r.Model, (int)r.ModelYear, r.Colour, r.RegistrationNumber, DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt));

    private sealed class Row
    {
        public string Vin { get; init; } = "";
        public string Model { get; init; } = "";
        public long ModelYear { get; init; }
        public string? Colour { get; init; }
        public string? RegistrationNumber { get; init; }
        public long CreatedAt { get; init; }
        public string? Role { get; init; }
        public long AccessSince { get; init; }
    }
}
