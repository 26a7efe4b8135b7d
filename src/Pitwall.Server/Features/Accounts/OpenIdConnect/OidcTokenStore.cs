using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using OpenIddict.Abstractions;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>OpenIddict's token store on <c>oidc_tokens</c>: authorization codes, refresh and access tokens (reference tokens: the
/// value the client holds is a random reference whose hash OpenIddict keys them by).</summary>
internal sealed class OidcTokenStore(Database database, TimeProvider time) : IOpenIddictTokenStore<OidcToken>
{
    private const string Columns = """
        SELECT id AS Id, application_id AS ApplicationId, authorization_id AS AuthorizationId, subject AS Subject, type AS Type, status AS Status,
               reference_id AS ReferenceId, payload AS Payload, properties AS Properties, created_at AS CreatedAt, expires_at AS ExpiresAt,
               redeemed_at AS RedeemedAt, concurrency AS ConcurrencyToken FROM oidc_tokens
        """;

    private const string Filter =
        "(@subject IS NULL OR subject = @subject) AND (@client IS NULL OR application_id = @client) AND (@status IS NULL OR status = @status) AND (@type IS NULL OR type = @type)";

    private sealed record Row(string Id, string? ApplicationId, string? AuthorizationId, string? Subject, string? Type, string? Status,
        string? ReferenceId, string? Payload, string? Properties, long? CreatedAt, long? ExpiresAt, long? RedeemedAt, string ConcurrencyToken)
    {
        public OidcToken ToEntity() => new()
        {
            Id = Id, ApplicationId = ApplicationId, AuthorizationId = AuthorizationId, Subject = Subject, Type = Type, Status = Status,
            ReferenceId = ReferenceId, Payload = Payload, Properties = OidcJson.Read<Dictionary<string, JsonElement>>(Properties),
            CreatedAt = OidcJson.Time(CreatedAt), ExpiresAt = OidcJson.Time(ExpiresAt), RedeemedAt = OidcJson.Time(RedeemedAt),
            ConcurrencyToken = ConcurrencyToken,
        };
    }

    private static object Parameters(OidcToken k, string? expected = null) => new
    {
        k.Id, k.ApplicationId, k.AuthorizationId, k.Subject, k.Type, k.Status, k.ReferenceId, k.Payload, Properties = OidcJson.Write(k.Properties),
        CreatedAt = OidcJson.Ms(k.CreatedAt), ExpiresAt = OidcJson.Ms(k.ExpiresAt), RedeemedAt = OidcJson.Ms(k.RedeemedAt), k.ConcurrencyToken, expected,
    };

    private async Task<List<OidcToken>> QueryAsync(string where, object? parameters, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>($"{Columns} WHERE {where} ORDER BY created_at, id", parameters), cancellationToken))
        .Select(r => r.ToEntity()).ToList();

    private async IAsyncEnumerable<OidcToken> StreamAsync(string where, object? parameters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var token in await QueryAsync(where, parameters, cancellationToken))
        {
            yield return token;
        }
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oidc_tokens"), cancellationToken);

    public ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcToken>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Arbitrary LINQ over tokens is not supported.");

    public async ValueTask CreateAsync(OidcToken token, CancellationToken cancellationToken)
    {
        token.Id = string.IsNullOrEmpty(token.Id) ? Guid.CreateVersion7(time.GetUtcNow()).ToString() : token.Id;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO oidc_tokens (id, application_id, authorization_id, subject, type, status, reference_id, payload, properties, created_at,
                expires_at, redeemed_at, concurrency)
            VALUES (@Id, @ApplicationId, @AuthorizationId, @Subject, @Type, @Status, @ReferenceId, @Payload, @Properties, @CreatedAt, @ExpiresAt,
                @RedeemedAt, @ConcurrencyToken)
            """, Parameters(token), t), cancellationToken);
    }

    public async ValueTask UpdateAsync(OidcToken token, CancellationToken cancellationToken)
    {
        var expected = token.ConcurrencyToken;
        token.ConcurrencyToken = Guid.NewGuid().ToString();
        var updated = await database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            UPDATE oidc_tokens SET application_id = @ApplicationId, authorization_id = @AuthorizationId, subject = @Subject, type = @Type,
                status = @Status, reference_id = @ReferenceId, payload = @Payload, properties = @Properties, created_at = @CreatedAt,
                expires_at = @ExpiresAt, redeemed_at = @RedeemedAt, concurrency = @ConcurrencyToken
            WHERE id = @Id AND concurrency = @expected
            """, Parameters(token, expected), t), cancellationToken);
        if (updated == 0)
        {
            // Two requests redeemed the same code or refresh token at once: OpenIddict refuses the loser.
            throw new OpenIddictExceptions.ConcurrencyException("The token was changed meanwhile.");
        }
    }

    public async ValueTask DeleteAsync(OidcToken token, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM oidc_tokens WHERE id = @Id", new { token.Id }, t), cancellationToken);

    public IAsyncEnumerable<OidcToken> FindAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        StreamAsync(Filter, new { subject, client, status, type }, cancellationToken);

    public IAsyncEnumerable<OidcToken> FindByApplicationIdAsync(string identifier, CancellationToken cancellationToken) =>
        StreamAsync("application_id = @identifier", new { identifier }, cancellationToken);

    public IAsyncEnumerable<OidcToken> FindByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        StreamAsync("authorization_id = @identifier", new { identifier }, cancellationToken);

    public async ValueTask<OidcToken?> FindByIdAsync(string identifier, CancellationToken cancellationToken) =>
        (await QueryAsync("id = @identifier", new { identifier }, cancellationToken)).SingleOrDefault();

    public async ValueTask<OidcToken?> FindByReferenceIdAsync(string identifier, CancellationToken cancellationToken) =>
        (await QueryAsync("reference_id = @identifier", new { identifier }, cancellationToken)).SingleOrDefault();

    public IAsyncEnumerable<OidcToken> FindBySubjectAsync(string subject, CancellationToken cancellationToken) =>
        StreamAsync("subject = @subject", new { subject }, cancellationToken);

    public ValueTask<TResult?> GetAsync<TState, TResult>(Func<IQueryable<OidcToken>, TState, IQueryable<TResult>> query, TState state,
        CancellationToken cancellationToken) => throw new NotSupportedException("Arbitrary LINQ over tokens is not supported.");

    public IAsyncEnumerable<OidcToken> ListAsync(int? count, int? offset, CancellationToken cancellationToken) => StreamAsync("1 = 1", null, cancellationToken);

    public IAsyncEnumerable<TResult> ListAsync<TState, TResult>(Func<IQueryable<OidcToken>, TState, IQueryable<TResult>> query, TState state,
        CancellationToken cancellationToken) => throw new NotSupportedException("Arbitrary LINQ over tokens is not supported.");

    /// <summary>Removes tokens created before the threshold that are expired or no longer valid.</summary>
    public async ValueTask<long> PruneAsync(DateTimeOffset threshold, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "DELETE FROM oidc_tokens WHERE created_at < @threshold AND (status NOT IN ('inactive', 'valid') OR expires_at < @now)",
            new { threshold = threshold.ToUnixTimeMilliseconds(), now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    public ValueTask<long> RevokeAsync(string? subject, string? client, string? status, string? type, CancellationToken cancellationToken) =>
        RevokeWhereAsync(Filter, new { subject, client, status, type }, cancellationToken);

    public ValueTask<long> RevokeByApplicationIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync("application_id = @identifier", new { identifier }, cancellationToken);

    /// <summary>OpenIddict calls this only when a redeemed code or refresh token comes back (a replay): the family ends, and the
    /// security log records it for the account, as the password grant's refresh does.</summary>
    public async ValueTask<long> RevokeByAuthorizationIdAsync(string identifier, CancellationToken cancellationToken) =>
        await database.WriteAsync(async (c, t) =>
        {
            var subject = await c.QuerySingleOrDefaultAsync<string?>("SELECT subject FROM oidc_authorizations WHERE id = @identifier", new { identifier }, t);
            await SecurityLog.WriteAsync(c, t, SecurityLog.RefreshTokenReused, subject, time.GetUtcNow());
            return (long)await c.ExecuteAsync(
                "UPDATE oidc_tokens SET status = 'revoked', concurrency = concurrency || 'r' WHERE authorization_id = @identifier", new { identifier }, t);
        }, cancellationToken);

    public ValueTask<long> RevokeBySubjectAsync(string subject, CancellationToken cancellationToken = default) =>
        RevokeWhereAsync("subject = @subject", new { subject }, cancellationToken);

    private async ValueTask<long> RevokeWhereAsync(string where, object parameters, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            $"UPDATE oidc_tokens SET status = 'revoked', concurrency = concurrency || 'r' WHERE {where}", parameters, t), cancellationToken);

    public ValueTask<OidcToken> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcToken());
    public ValueTask<string?> GetApplicationIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ApplicationId);
    public ValueTask<string?> GetAuthorizationIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.AuthorizationId);
    public ValueTask<DateTimeOffset?> GetCreationDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.CreatedAt);
    public ValueTask<DateTimeOffset?> GetExpirationDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ExpiresAt);
    public ValueTask<string?> GetIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Id);
    public ValueTask<string?> GetPayloadAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Payload);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcToken token, CancellationToken cancellationToken) =>
        new(token.Properties.ToImmutableDictionary());

    public ValueTask<DateTimeOffset?> GetRedemptionDateAsync(OidcToken token, CancellationToken cancellationToken) => new(token.RedeemedAt);
    public ValueTask<string?> GetReferenceIdAsync(OidcToken token, CancellationToken cancellationToken) => new(token.ReferenceId);
    public ValueTask<string?> GetStatusAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Status);
    public ValueTask<string?> GetSubjectAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Subject);
    public ValueTask<string?> GetTypeAsync(OidcToken token, CancellationToken cancellationToken) => new(token.Type);
    public ValueTask SetApplicationIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) => OidcJson.Set(() => token.ApplicationId = identifier);
    public ValueTask SetAuthorizationIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) => OidcJson.Set(() => token.AuthorizationId = identifier);
    public ValueTask SetCreationDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcJson.Set(() => token.CreatedAt = date);
    public ValueTask SetExpirationDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcJson.Set(() => token.ExpiresAt = date);
    public ValueTask SetPayloadAsync(OidcToken token, string? payload, CancellationToken cancellationToken) => OidcJson.Set(() => token.Payload = payload);

    public ValueTask SetPropertiesAsync(OidcToken token, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcJson.Set(() => token.Properties = properties.ToDictionary());

    public ValueTask SetRedemptionDateAsync(OidcToken token, DateTimeOffset? date, CancellationToken cancellationToken) => OidcJson.Set(() => token.RedeemedAt = date);
    public ValueTask SetReferenceIdAsync(OidcToken token, string? identifier, CancellationToken cancellationToken) => OidcJson.Set(() => token.ReferenceId = identifier);
    public ValueTask SetStatusAsync(OidcToken token, string? status, CancellationToken cancellationToken) => OidcJson.Set(() => token.Status = status);
    public ValueTask SetSubjectAsync(OidcToken token, string? subject, CancellationToken cancellationToken) => OidcJson.Set(() => token.Subject = subject);
    public ValueTask SetTypeAsync(OidcToken token, string? type, CancellationToken cancellationToken) => OidcJson.Set(() => token.Type = type);
}
