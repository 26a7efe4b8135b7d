using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using OpenIddict.Abstractions;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>OpenIddict's authorization store on <c>oidc_authorizations</c>: an owner's consent to an app, or the grant behind one
/// sign-in. Validation checks its status on every use of a token, so revoking it ends its tokens (the family) at once.</summary>
internal sealed class OidcAuthorizationStore(Database database, TimeProvider time) : IOpenIddictAuthorizationStore<OidcAuthorization>
{
    private const string Columns = """
        SELECT id AS Id, application_id AS ApplicationId, subject AS Subject, status AS Status, type AS Type, scopes AS Scopes,
               properties AS Properties, created_at AS CreatedAt, concurrency AS ConcurrencyToken FROM oidc_authorizations
        """;

    private sealed record Row(string Id, string? ApplicationId, string? Subject, string? Status, string? Type, string? Scopes,
        string? Properties, long? CreatedAt, string ConcurrencyToken)
    {
        public OidcAuthorization ToEntity() => new()
        {
            Id = Id, ApplicationId = ApplicationId, Subject = Subject, Status = Status, Type = Type,
            Scopes = OidcJson.Read<List<string>>(Scopes), Properties = OidcJson.Read<Dictionary<string, JsonElement>>(Properties),
            CreatedAt = OidcJson.Time(CreatedAt), ConcurrencyToken = ConcurrencyToken,
        };
    }

    private static object Parameters(OidcAuthorization a, string? expected = null) => new
    {
        a.Id, a.ApplicationId, a.Subject, a.Status, a.Type, Scopes = OidcJson.Write(a.Scopes), Properties = OidcJson.Write(a.Properties),
        CreatedAt = OidcJson.Ms(a.CreatedAt), a.ConcurrencyToken, expected,
    };

    private async Task<List<OidcAuthorization>> QueryAsync(string where, object? parameters, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>($"{Columns} WHERE {where} ORDER BY created_at, id", parameters), cancellationToken))
        .Select(r => r.ToEntity()).ToList();

    private async IAsyncEnumerable<OidcAuthorization> FilterAsync(string? subject, string? client, string? status, string? type,
        ImmutableArray<string>? scopes, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var found = await QueryAsync(
            "(@subject IS NULL OR subject = @subject) AND (@client IS NULL OR application_id = @client) AND (@status IS NULL OR status = @status) AND (@type IS NULL OR type = @type)",
            new { subject, client, status, type }, cancellationToken);
        foreach (var authorization in found.Where(a => scopes is null || scopes.Value.All(s => a.Scopes.Contains(s, StringComparer.Ordinal))))
        {
            yield return authorization;
        }
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oidc_authorizations"), cancellationToken);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcAuthorization>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Pitwall's stores answer the queries OpenIddict's managers make, not arbitrary LINQ.");

    public async ValueTask CreateAsync(OidcAuthorization authorization, CancellationToken cancellationToken)
    {
        authorization.Id = string.IsNullOrEmpty(authorization.Id) ? Guid.CreateVersion7(time.GetUtcNow()).ToString() : authorization.Id;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO oidc_authorizations (id, application_id, subject, status, type, scopes, properties, created_at, concurrency)
            VALUES (@Id, @ApplicationId, @Subject, @Status, @Type, @Scopes, @Properties, @CreatedAt, @ConcurrencyToken)
            """, Parameters(authorization), t), cancellationToken);
    }

    public async ValueTask UpdateAsync(OidcAuthorization authorization, CancellationToken cancellationToken)
    {
        var expected = authorization.ConcurrencyToken;
        authorization.ConcurrencyToken = Guid.NewGuid().ToString();
        var updated = await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE oidc_authorizations SET application_id = @ApplicationId, subject = @Subject, status = @Status, type = @Type, scopes = @Scopes,
                properties = @Properties, created_at = @CreatedAt, concurrency = @ConcurrencyToken
            WHERE id = @Id AND concurrency = @expected
            """, Parameters(authorization, expected), t), cancellationToken);
        if (updated == 0)
        {
            throw new OpenIddictExceptions.ConcurrencyException("The authorization was changed meanwhile.");
        }
    }

    public async ValueTask DeleteAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM oidc_authorizations WHERE id = @Id", new { authorization.Id }, t), cancellationToken);

    public IAsyncEnumerable<OidcAuthorization> FindAsync(string? subject, string? client, string? status, string? type,
        ImmutableArray<string>? scopes, CancellationToken cancellationToken) => FilterAsync(subject, client, status, type, scopes, cancellationToken);

    public IAsyncEnumerable<OidcAuthorization> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        FilterAsync(null, identifier, null, null, null, cancellationToken);

    public async ValueTask<OidcAuthorization?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        (await QueryAsync("id = @identifier", new { identifier }, cancellationToken)).SingleOrDefault();

    public IAsyncEnumerable<OidcAuthorization> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        FilterAsync(subject, null, null, null, null, cancellationToken);

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<OidcAuthorization>, TState, IQueryable<TResult>> query, TState state,
        CancellationToken cancellationToken) => throw new NotSupportedException("Arbitrary LINQ over authorizations is not supported.");

    public async IAsyncEnumerable<OidcAuthorization> ListAsync(int? count, int? offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var authorization in await QueryAsync("1 = 1", null, cancellationToken))
        {
            yield return authorization;
        }
    }

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<OidcAuthorization>, TState, IQueryable<TResult>> query, TState state,
        CancellationToken cancellationToken) => throw new NotSupportedException("Arbitrary LINQ over authorizations is not supported.");

    /// <summary>Removes ad-hoc authorizations left without tokens and authorizations no longer valid, created before the threshold.</summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            DELETE FROM oidc_authorizations WHERE created_at < @threshold AND (status <> 'valid'
               OR (type = 'ad-hoc' AND NOT EXISTS (SELECT 1 FROM oidc_tokens k WHERE k.authorization_id = oidc_authorizations.id)))
            """, new { threshold = threshold.ToUnixTimeMilliseconds() }, t), cancellationToken);

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeWhereAsync(
            "(@subject IS NULL OR subject = @subject) AND (@client IS NULL OR application_id = @client) AND (@status IS NULL OR status = @status) AND (@type IS NULL OR type = @type)",
            new { subject, client, status, type }, cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync("application_id = @identifier", new { identifier }, cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync("subject = @subject", new { subject }, cancellationToken);

    private async ValueTask<long> RevokeWhereAsync(string where, object parameters, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            $"UPDATE oidc_authorizations SET status = 'revoked', concurrency = concurrency || 'r' WHERE {where}", parameters, t), cancellationToken);

    public ValueTask<OidcAuthorization> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcAuthorization());
    public ValueTask<string?> GetApplicationIdAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.ApplicationId);
    public ValueTask<DateTimeOffset?> GetCreationDateAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.CreatedAt);
    public ValueTask<string?> GetIdAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Id);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcAuthorization authorization, CancellationToken cancellationToken) =>
        new(authorization.Properties.ToImmutableDictionary());

    public ValueTask<ImmutableArray<string>> GetScopesAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new([.. authorization.Scopes]);
    public ValueTask<string?> GetStatusAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Status);
    public ValueTask<string?> GetSubjectAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Subject);
    public ValueTask<string?> GetTypeAsync(OidcAuthorization authorization, CancellationToken cancellationToken) => new(authorization.Type);

    public ValueTask SetApplicationIdAsync(OidcAuthorization authorization, string? identifier, CancellationToken cancellationToken) =>
        OidcJson.Set(() => authorization.ApplicationId = identifier);

    public ValueTask SetCreationDateAsync(OidcAuthorization authorization, DateTimeOffset? date, CancellationToken cancellationToken) =>
        OidcJson.Set(() => authorization.CreatedAt = date);

    public ValueTask SetPropertiesAsync(OidcAuthorization authorization, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcJson.Set(() => authorization.Properties = properties.ToDictionary());

    public ValueTask SetScopesAsync(OidcAuthorization authorization, ImmutableArray<string> scopes, CancellationToken cancellationToken) =>
        OidcJson.Set(() => authorization.Scopes = [.. scopes]);

    public ValueTask SetStatusAsync(OidcAuthorization authorization, string? status, CancellationToken cancellationToken) => OidcJson.Set(() => authorization.Status = status);
    public ValueTask SetSubjectAsync(OidcAuthorization authorization, string? subject, CancellationToken cancellationToken) => OidcJson.Set(() => authorization.Subject = subject);
    public ValueTask SetTypeAsync(OidcAuthorization authorization, string? type, CancellationToken cancellationToken) => OidcJson.Set(() => authorization.Type = type);
}
