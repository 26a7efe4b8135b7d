using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts;

/// <summary>SQL for the <c>accounts</c> table.</summary>
public sealed class AccountStore(Database database) : IAccountDirectory
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task<Account?> FindByEmailAsync(string email, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => Map(await connection.QuerySingleOrDefaultAsync<AccountRow>(
            $"SELECT {Columns} FROM accounts WHERE email_normalized = @email", new { email = Account.NormalizeEmail(email) })),
            cancellationToken);

    public Task<Account?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => await FindAsync(connection, null, id), cancellationToken);

    internal static async Task<Account?> FindAsync(DbConnection connection, DbTransaction? transaction, string id) =>
        Map(await connection.QuerySingleOrDefaultAsync<AccountRow>(
            $"SELECT {Columns} FROM accounts WHERE id = @id", new { id }, transaction));

    /// <returns>False when the e-mail address is taken.</returns>
    public Task<bool> TryInsertAsync(Account account, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var row = ToRow(account);
            var inserted = await connection.ExecuteAsync(
                """
                INSERT INTO accounts (id, email, email_normalized, password_hash, name, phone_numbers, address, locale, role, created_at, updated_at)
                VALUES (@Id, @Email, @EmailNormalized, @PasswordHash, @Name, @PhoneNumbers, @Address, @Locale, @Role, @CreatedAt, @UpdatedAt)
                ON CONFLICT (email_normalized) DO NOTHING
                """, row, transaction);
            return inserted == 1;
        }, cancellationToken);

    /// <summary>The accounts of one role (id, e-mail, name) by name, for the consoles' choices (hand a case to an operator or an authority).</summary>
    public async Task<IReadOnlyList<(string Id, string Email, string Name)>> WithRoleAsync(string role, int limit, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string, string, string)>(
            "SELECT id, email, name FROM accounts WHERE role = @role ORDER BY name, email, id LIMIT @limit", new { role, limit }), cancellationToken)).ToList();

    public Task UpdateProfileAsync(Account account, CancellationToken cancellationToken) =>
        database.WriteAsync((connection, transaction) => connection.ExecuteAsync(
            """
            UPDATE accounts SET name = @Name, phone_numbers = @PhoneNumbers, address = @Address, locale = @Locale, time_zone = @TimeZone,
                                updated_at = @UpdatedAt
            WHERE id = @Id
            """, ToRow(account), transaction), cancellationToken);

    internal static Task UpdatePasswordAsync(DbConnection connection, DbTransaction transaction, string id, string hash, DateTimeOffset at) =>
        connection.ExecuteAsync("UPDATE accounts SET password_hash = @hash, updated_at = @at WHERE id = @id",
            new { id, hash, at = at.ToUnixTimeMilliseconds() }, transaction);

    /// <summary>Erasure: the account row; the schema's cascades take what hangs on it.</summary>
    internal static Task DeleteAsync(DbConnection connection, DbTransaction transaction, string id) =>
        connection.ExecuteAsync("DELETE FROM accounts WHERE id = @id", new { id }, transaction);

    private const string Columns =
        "id AS Id, email AS Email, email_normalized AS EmailNormalized, password_hash AS PasswordHash, name AS Name, " +
        "phone_numbers AS PhoneNumbers, address AS Address, locale AS Locale, time_zone AS TimeZone, role AS Role, created_at AS CreatedAt, " +
        "updated_at AS UpdatedAt, disabled_at AS DisabledAt";

    private static AccountRow ToRow(Account a) => new()
    {
        Id = a.Id,
        Email = a.Email,
        EmailNormalized = Account.NormalizeEmail(a.Email),
        PasswordHash = a.PasswordHash,
        Name = a.Name,
        PhoneNumbers = JsonSerializer.Serialize(a.PhoneNumbers, Json),
        Address = a.Address is null ? null : JsonSerializer.Serialize(a.Address, Json),
        Locale = a.Locale,
        TimeZone = a.TimeZone,
        Role = a.Role,
        CreatedAt = a.CreatedAt.ToUnixTimeMilliseconds(),
        UpdatedAt = a.UpdatedAt.ToUnixTimeMilliseconds(),
    };

    private static Account? Map(AccountRow? r) => r is null
        ? null
        : new Account(
            r.Id, r.Email, r.PasswordHash, r.Name,
            JsonSerializer.Deserialize<List<string>>(r.PhoneNumbers, Json) ?? [],
            r.Address is null ? null : JsonSerializer.Deserialize<PostalAddress>(r.Address, Json),
            r.Locale, r.Role,
            DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
            DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt))
        {
            TimeZone = r.TimeZone,
            DisabledAt = r.DisabledAt is { } disabled ? DateTimeOffset.FromUnixTimeMilliseconds(disabled) : null,
        };

    private sealed class AccountRow
    {
        public string Id { get; init; } = "";
        public string Email { get; init; } = "";
        public string EmailNormalized { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public string Name { get; init; } = "";
        public string PhoneNumbers { get; init; } = "[]";
        public string? Address { get; init; }
        public string Locale { get; init; } = "";
        public string? TimeZone { get; init; }
        public string Role { get; init; } = "";
        public long CreatedAt { get; init; }
        public long UpdatedAt { get; init; }
        public long? DisabledAt { get; init; }
    }
}
