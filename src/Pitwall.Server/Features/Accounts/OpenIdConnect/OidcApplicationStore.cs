using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Dapper;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>OpenIddict's client store on Pitwall's database (<c>oidc_applications</c>), Dapper like every other store: the client id
/// is a column, the rest one JSON body. Clients are few, so queries over them run in memory.</summary>
internal sealed class OidcApplicationStore(Database database) : IOpenIddictApplicationStore<OidcApplication>
{
    private sealed record Row(string Id, string Body);

    private static OidcApplication Load(Row row)
    {
        var application = JsonSerializer.Deserialize<OidcApplication>(row.Body)!;
        application.Id = row.Id;
        return application;
    }

    private async Task<List<OidcApplication>> AllAsync(CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<Row>("SELECT id AS Id, body AS Body FROM oidc_applications ORDER BY client_id"), cancellationToken))
        .Select(Load).ToList();

    private async ValueTask<OidcApplication?> FindAsync(string column, string value, CancellationToken cancellationToken)
    {
        var row = await database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Row>(
            $"SELECT id AS Id, body AS Body FROM oidc_applications WHERE {column} = @value", new { value }), cancellationToken);
        return row is null ? null : Load(row);
    }

    public async ValueTask<long> CountAsync(CancellationToken cancellationToken) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM oidc_applications"), cancellationToken);

    public async ValueTask<long> CountAsync<TResult>(Func<IQueryable<OidcApplication>, IQueryable<TResult>> query, CancellationToken cancellationToken) =>
        query((await AllAsync(cancellationToken)).AsQueryable()).LongCount();

    public async ValueTask CreateAsync(OidcApplication application, CancellationToken cancellationToken)
    {
        application.Id = string.IsNullOrEmpty(application.Id) ? Guid.NewGuid().ToString() : application.Id;
        await database.WriteAsync((c, t) => c.ExecuteAsync(
            "INSERT INTO oidc_applications (id, client_id, body, concurrency) VALUES (@Id, @ClientId, @Body, @ConcurrencyToken)",
            new { application.Id, application.ClientId, Body = OidcJson.Write(application), application.ConcurrencyToken }, t), cancellationToken);
    }

    public async ValueTask UpdateAsync(OidcApplication application, CancellationToken cancellationToken)
    {
        var expected = application.ConcurrencyToken;
        application.ConcurrencyToken = Guid.NewGuid().ToString();
        var updated = await database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE oidc_applications SET client_id = @ClientId, body = @Body, concurrency = @ConcurrencyToken WHERE id = @Id AND concurrency = @expected",
            new { application.Id, application.ClientId, Body = OidcJson.Write(application), application.ConcurrencyToken, expected }, t),
            cancellationToken);
        if (updated == 0)
        {
            throw new OpenIddictExceptions.ConcurrencyException("The client was changed meanwhile.");
        }
    }

    public async ValueTask DeleteAsync(OidcApplication application, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM oidc_applications WHERE id = @Id", new { application.Id }, t), cancellationToken);

    public ValueTask<OidcApplication?> FindByIdAsync(string identifier, CancellationToken cancellationToken) => FindAsync("id", identifier, cancellationToken);

    public ValueTask<OidcApplication?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken) =>
        FindAsync("client_id", identifier, cancellationToken);

    public async IAsyncEnumerable<OidcApplication> FindByPostLogoutRedirectUriAsync(string uri, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var application in (await AllAsync(cancellationToken)).Where(a => a.PostLogoutRedirectUris.Contains(uri, StringComparer.Ordinal)))
        {
            yield return application;
        }
    }

    public async IAsyncEnumerable<OidcApplication> FindByRedirectUriAsync(string uri, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var application in (await AllAsync(cancellationToken)).Where(a => a.RedirectUris.Contains(uri, StringComparer.Ordinal)))
        {
            yield return application;
        }
    }

    public async ValueTask<TResult?> GetAsync<TState, TResult>(
        Func<IQueryable<OidcApplication>, TState, IQueryable<TResult>> query, TState state, CancellationToken cancellationToken) =>
        query((await AllAsync(cancellationToken)).AsQueryable(), state).FirstOrDefault();

    public async IAsyncEnumerable<OidcApplication> ListAsync(int? count, int? offset, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var application in (await AllAsync(cancellationToken)).Skip(offset ?? 0).Take(count ?? int.MaxValue))
        {
            yield return application;
        }
    }

    public async IAsyncEnumerable<TResult> ListAsync<TState, TResult>(
        Func<IQueryable<OidcApplication>, TState, IQueryable<TResult>> query, TState state, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var result in query((await AllAsync(cancellationToken)).AsQueryable(), state))
        {
            yield return result;
        }
    }

    public ValueTask<OidcApplication> InstantiateAsync(CancellationToken cancellationToken) => new(new OidcApplication());

    public ValueTask<string?> GetApplicationTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ApplicationType);
    public ValueTask<string?> GetClientIdAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientId);
    public ValueTask<string?> GetClientSecretAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientSecret);
    public ValueTask<string?> GetClientTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ClientType);
    public ValueTask<string?> GetConsentTypeAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.ConsentType);
    public ValueTask<string?> GetDisplayNameAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.DisplayName);

    public ValueTask<ImmutableDictionary<CultureInfo, string>> GetDisplayNamesAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(OidcJson.Cultures(application.DisplayNames));

    public ValueTask<string?> GetIdAsync(OidcApplication application, CancellationToken cancellationToken) => new(application.Id);

    public ValueTask<JsonWebKeySet?> GetJsonWebKeySetAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(application.JsonWebKeySet is null ? null : new JsonWebKeySet(application.JsonWebKeySet));

    public ValueTask<ImmutableArray<string>> GetPermissionsAsync(OidcApplication application, CancellationToken cancellationToken) => new([.. application.Permissions]);

    public ValueTask<ImmutableArray<string>> GetPostLogoutRedirectUrisAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new([.. application.PostLogoutRedirectUris]);

    public ValueTask<ImmutableDictionary<string, JsonElement>> GetPropertiesAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(application.Properties.ToImmutableDictionary());

    public ValueTask<ImmutableArray<string>> GetRedirectUrisAsync(OidcApplication application, CancellationToken cancellationToken) => new([.. application.RedirectUris]);
    public ValueTask<ImmutableArray<string>> GetRequirementsAsync(OidcApplication application, CancellationToken cancellationToken) => new([.. application.Requirements]);

    public ValueTask<ImmutableDictionary<string, string>> GetSettingsAsync(OidcApplication application, CancellationToken cancellationToken) =>
        new(application.Settings.ToImmutableDictionary());

    public ValueTask SetApplicationTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) => OidcJson.Set(() => application.ApplicationType = type);
    public ValueTask SetClientIdAsync(OidcApplication application, string? identifier, CancellationToken cancellationToken) => OidcJson.Set(() => application.ClientId = identifier);
    public ValueTask SetClientSecretAsync(OidcApplication application, string? secret, CancellationToken cancellationToken) => OidcJson.Set(() => application.ClientSecret = secret);
    public ValueTask SetClientTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) => OidcJson.Set(() => application.ClientType = type);
    public ValueTask SetConsentTypeAsync(OidcApplication application, string? type, CancellationToken cancellationToken) => OidcJson.Set(() => application.ConsentType = type);
    public ValueTask SetDisplayNameAsync(OidcApplication application, string? name, CancellationToken cancellationToken) => OidcJson.Set(() => application.DisplayName = name);

    public ValueTask SetDisplayNamesAsync(OidcApplication application, ImmutableDictionary<CultureInfo, string> names, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.DisplayNames = names.ToDictionary(p => p.Key.Name, p => p.Value));

    public ValueTask SetJsonWebKeySetAsync(OidcApplication application, JsonWebKeySet? set, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.JsonWebKeySet = set is null ? null : JsonSerializer.Serialize(set));

    public ValueTask SetPermissionsAsync(OidcApplication application, ImmutableArray<string> permissions, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.Permissions = [.. permissions]);

    public ValueTask SetPostLogoutRedirectUrisAsync(OidcApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.PostLogoutRedirectUris = [.. uris]);

    public ValueTask SetPropertiesAsync(OidcApplication application, ImmutableDictionary<string, JsonElement> properties, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.Properties = properties.ToDictionary());

    public ValueTask SetRedirectUrisAsync(OidcApplication application, ImmutableArray<string> uris, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.RedirectUris = [.. uris]);

    public ValueTask SetRequirementsAsync(OidcApplication application, ImmutableArray<string> requirements, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.Requirements = [.. requirements]);

    public ValueTask SetSettingsAsync(OidcApplication application, ImmutableDictionary<string, string> settings, CancellationToken cancellationToken) =>
        OidcJson.Set(() => application.Settings = settings.ToDictionary());
}
