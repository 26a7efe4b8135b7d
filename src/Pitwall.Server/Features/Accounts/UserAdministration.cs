using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts;

/// <summary>
/// What administrators do to accounts in the admin API and pages: find them by a fragment of e-mail address or name, change
/// the name and the role, disable and enable. Disabling or changing the role ends every session and app token of the account
/// at once (a new role's scopes come with the next sign-in); a disabled account cannot sign in until it is enabled again.
/// Each change is in the security log. An administrator cannot disable their own account or take away its admin role.
/// </summary>
public sealed class UserAdministration(Database database, TimeProvider time)
{
    public const int PageSize = 25;

    public static readonly Refusal UserNotFound = Refusal.NotFound("No such account.");

    private static readonly Refusal OwnAccount = Refusal.Conflict(AccountErrorCodes.OwnAccount,
        "You cannot disable your own account or take away its admin role; another administrator can.");

    /// <summary>Accounts whose e-mail address or name contains <paramref name="text"/> (any case; all when empty), newest first.</summary>
    public Task<UserPage> SearchAsync(string? text, int page, CancellationToken cancellationToken)
    {
        // LIKE's wildcards in the text are meant literally; UPPER on both sides because PostgreSQL's LIKE minds case.
        var pattern = string.IsNullOrWhiteSpace(text)
            ? null
            : "%" + text.Trim().ToUpperInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
        const string Where = "WHERE @pattern IS NULL OR email_normalized LIKE @pattern ESCAPE '\\' OR UPPER(name) LIKE @pattern ESCAPE '\\'";
        page = Math.Max(page, 1);
        return database.ReadAsync(async c =>
        {
            var total = await c.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM accounts {Where}", new { pattern });
            var rows = await c.QueryAsync<Row>(
                $"SELECT {Columns} FROM accounts {Where} ORDER BY created_at DESC, id LIMIT @limit OFFSET @offset",
                new { pattern, limit = PageSize, offset = (page - 1) * PageSize });
            return new UserPage([.. rows.Select(r => r.Response())], page, PageSize, (int)total);
        }, cancellationToken);
    }

    public Task<UserResponse?> FindAsync(string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id }))?.Response(),
            cancellationToken);

    /// <summary>Changes what the request names (null: unchanged).</summary>
    public async Task<(UserResponse? User, Refusal? Refusal)> UpdateAsync(string adminId, string id, UserUpdateRequest request, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.Name is not null)
        {
            AccountValidation.Name(request.Name, errors);
        }
        if (request.Role is not null && !Roles.IsKnown(request.Role))
        {
            errors.Add("role", "One of: {0}.", string.Join(", ", Roles.All));
        }
        if (errors.Any)
        {
            return (null, Refusal.Invalid(errors));
        }
        var now = time.GetUtcNow();
        return await database.WriteAsync<(UserResponse?, Refusal?)>(async (connection, transaction) =>
        {
            if (await connection.QuerySingleOrDefaultAsync<Row>($"SELECT {Columns} FROM accounts WHERE id = @id", new { id }, transaction) is not { } row)
            {
                return (null, UserNotFound);
            }
            var role = request.Role ?? row.Role;
            var disabledAt = request.Disabled switch
            {
                true => row.DisabledAt ?? now.ToUnixTimeMilliseconds(),
                false => null,
                null => row.DisabledAt,
            };
            if (id == adminId && (disabledAt is not null || role != Roles.Admin))
            {
                return (null, OwnAccount);
            }
            var name = request.Name?.Trim() ?? row.Name;
            await connection.ExecuteAsync(
                "UPDATE accounts SET name = @name, role = @role, disabled_at = @disabledAt, updated_at = @now WHERE id = @id",
                new { id, name, role, disabledAt, now = now.ToUnixTimeMilliseconds() }, transaction);
            var disabled = disabledAt is not null && row.DisabledAt is null;
            if (disabled || role != row.Role)
            {
                await TokenStore.RevokeAllSessionsAsync(connection, transaction, id, null, now);
                await OpenIdConnect.OidcGrants.RevokeTokensOfSubjectAsync(connection, transaction, id);
            }
            if (disabled)
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.AccountDisabled, id, now);
            }
            else if (disabledAt is null && row.DisabledAt is not null)
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.AccountEnabled, id, now);
            }
            if (role != row.Role)
            {
                await SecurityLog.WriteAsync(connection, transaction, SecurityLog.RoleChanged, id, now);
            }
            return (new Row { Id = row.Id, Email = row.Email, Name = name, Role = role, CreatedAt = row.CreatedAt, DisabledAt = disabledAt }.Response(), null);
        }, cancellationToken);
    }

    private const string Columns = "id AS Id, email AS Email, name AS Name, role AS Role, created_at AS CreatedAt, disabled_at AS DisabledAt";

    private sealed class Row
    {
        public string Id { get; init; } = "";
        public string Email { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? DisabledAt { get; init; }

        public UserResponse Response() => new(Id, Email, Name, Role, DateTimeOffset.FromUnixTimeMilliseconds(CreatedAt),
            DisabledAt is { } at ? DateTimeOffset.FromUnixTimeMilliseconds(at) : null);
    }
}

/// <summary>An account as administrators see it; <c>disabledAt</c> is set while it cannot sign in.</summary>
public sealed record UserResponse(string Id, string Email, string Name, string Role, DateTimeOffset CreatedAt, DateTimeOffset? DisabledAt);

/// <summary>One page of accounts, with how many match in all.</summary>
public sealed record UserPage(IReadOnlyList<UserResponse> Items, int Page, int PageSize, int Total)
{
    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What to change (null: unchanged): the name, the role, whether the account is disabled.</summary>
public sealed record UserUpdateRequest(string? Name, string? Role, bool? Disabled);
