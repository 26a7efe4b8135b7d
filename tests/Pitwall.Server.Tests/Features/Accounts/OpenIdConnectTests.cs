using System.Net;
using System.Text.Json;
using OpenIddict.Abstractions;
using Pitwall.Server.Tests.Infrastructure;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The OpenID Connect provider over HTTP on each storage engine: discovery, JWKS, authorization code with PKCE,
/// refresh rotation with reuse detection, client_credentials, revocation (RFC 7009) and introspection (RFC 7662).</summary>
public abstract class OpenIdConnectTests(PitwallServer server)
{
    private const string AppClient = "pitwall-app";
    private const string AppRedirect = "pitwall://oauth/callback";

    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) => new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private async Task<string> PartnerClientAsync(params string[] scopes)
    {
        var clientId = $"partner-{Guid.NewGuid():N}";
        await using var scope = server.App.Services.CreateAsyncScope();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = clientId, ClientSecret = "partner secret", ClientType = ClientTypes.Confidential, DisplayName = "Partner",
        };
        descriptor.Permissions.UnionWith([Permissions.Endpoints.Token, Permissions.Endpoints.Introspection, Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.ClientCredentials, .. scopes.Select(s => Permissions.Prefixes.Scope + s)]);
        await scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>().CreateAsync(descriptor);
        return clientId;
    }

    [Fact]
    public async Task The_discovery_document_names_the_endpoints_PKCE_and_the_grants_but_not_the_password_grant()
    {
        var response = await server.Client.GetAsync("/.well-known/openid-configuration");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var discovery = await response.JsonAsync();
        var issuer = discovery.GetProperty("issuer").GetString()!;
        Assert.StartsWith(server.Client.BaseAddress!.ToString().TrimEnd('/'), issuer);
        Assert.EndsWith("/connect/authorize", discovery.GetProperty("authorization_endpoint").GetString());
        Assert.EndsWith("/connect/token", discovery.GetProperty("token_endpoint").GetString());
        Assert.EndsWith("/connect/revoke", discovery.GetProperty("revocation_endpoint").GetString());
        Assert.EndsWith("/connect/introspect", discovery.GetProperty("introspection_endpoint").GetString());
        var grants = Strings(discovery.GetProperty("grant_types_supported"));
        Assert.Contains("authorization_code", grants);
        Assert.Contains("refresh_token", grants);
        Assert.Contains("client_credentials", grants);
        Assert.DoesNotContain("password", grants);
        Assert.DoesNotContain("implicit", grants);
        Assert.Equal(["S256"], Strings(discovery.GetProperty("code_challenge_methods_supported")).Where(m => m != "plain").ToArray());
        Assert.DoesNotContain("plain", Strings(discovery.GetProperty("code_challenge_methods_supported")));
        Assert.Contains("read_vehicle", Strings(discovery.GetProperty("scopes_supported")));

        var jwks = await (await server.Client.GetAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!).PathAndQuery)).JsonAsync();
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray(), k => k.GetProperty("use").GetString() == "sig");
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.False(string.IsNullOrEmpty(key.GetProperty("kid").GetString()));
        Assert.False(string.IsNullOrEmpty(key.GetProperty("n").GetString()));
        Assert.False(key.TryGetProperty("d", out _), "The JWKS must not publish the private key.");
    }

    [Fact]
    public async Task The_app_signs_in_with_code_and_PKCE_reads_the_API_and_refreshes_with_rotation()
    {
        var owner = await server.NewOwnerAsync();
        using var app = new OAuthTestClient(server, AppClient, AppRedirect);
        var tokens = await app.SignInWithCodeAsync(owner.Email, owner.Password, "read_account read_vehicle offline_access");
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.True(tokens.GetProperty("expires_in").GetInt32() > 0);
        var access = tokens.GetProperty("access_token").GetString()!;
        var refresh = tokens.GetProperty("refresh_token").GetString()!;

        var me = await server.ClientWith(access).GetAsync("/api/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        Assert.Equal(owner.Email, (await me.JsonAsync()).GetProperty("email").GetString());
        // Only the scopes asked for: read_account does not let it change the account.
        Assert.Equal(HttpStatusCode.Forbidden, (await server.ClientWith(access).PatchAsync("/api/v1/me", JsonContent(new { name = "X" }))).StatusCode);

        var rotated = await app.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var next = await rotated.JsonAsync();
        Assert.NotEqual(refresh, next.GetProperty("refresh_token").GetString());

        // The old refresh token comes back: a replay. It is refused and its whole family ends.
        var replay = await app.RefreshAsync(refresh);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal("invalid_grant", (await (await app.RefreshAsync(next.GetProperty("refresh_token").GetString()!)).JsonAsync()).GetProperty("error").GetString());
        await (await server.ClientWith(next.GetProperty("access_token").GetString()!).GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var accountId = (await (await server.ClientWith(owner.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString();
        Assert.Equal(1, await server.Get<Pitwall.Server.Data.Database>().ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM security_log WHERE account_id = @accountId AND event = 'refresh_token_reused'", new { accountId }), CancellationToken.None));
    }

    [Fact]
    public async Task A_code_without_its_PKCE_verifier_is_refused_and_used_once_only()
    {
        var owner = await server.NewOwnerAsync();
        using var app = new OAuthTestClient(server, AppClient, AppRedirect);
        var withoutPkce = await app.StartAsync("read_account", pkce: false);
        Assert.Equal(HttpStatusCode.BadRequest, withoutPkce.StatusCode);
        Assert.Contains("invalid_request", await withoutPkce.Content.ReadAsStringAsync());

        var code = OAuthTestClient.CodeOf(await app.AuthorizeAsync(owner.Email, owner.Password, "read_account"))!;
        var wrong = await app.RedeemAsync(code, verifier: new string('a', 43));
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("invalid_grant", (await wrong.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal("no-store", wrong.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task Token_errors_have_the_RFC_6749_shape_and_the_password_grant_is_not_offered()
    {
        using var app = new OAuthTestClient(server, AppClient, AppRedirect);
        var password = await app.TokenAsync(new() { ["grant_type"] = "password", ["username"] = "a@example.com", ["password"] = "x", ["client_id"] = AppClient });
        Assert.Equal(HttpStatusCode.BadRequest, password.StatusCode);
        Assert.Equal("application/json", password.Content.Headers.ContentType?.MediaType);
        var error = await password.JsonAsync();
        Assert.Equal("unsupported_grant_type", error.GetProperty("error").GetString());
        Assert.True(error.TryGetProperty("error_description", out _));

        var unknownClient = await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = "nobody", ["client_secret"] = "x" });
        Assert.Equal("invalid_client", (await unknownClient.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_partner_gets_a_token_with_client_credentials_for_its_scopes_only()
    {
        var partner = await PartnerClientAsync("read_dealer");
        using var app = new OAuthTestClient(server, partner, "");
        var granted = await app.TokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = partner, ["client_secret"] = "partner secret", ["scope"] = "read_dealer",
        });
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        var access = (await granted.JsonAsync()).GetProperty("access_token").GetString()!;
        Assert.False((await granted.JsonAsync()).TryGetProperty("refresh_token", out _));
        await (await server.ClientWith(access).GetAsync("/api/v1/vehicles")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");

        var beyond = await app.TokenAsync(new()
        {
            ["grant_type"] = "client_credentials", ["client_id"] = partner, ["client_secret"] = "partner secret", ["scope"] = "read_vehicle",
        });
        // OpenIddict answers a scope outside the client's permissions with invalid_request (its choice; RFC 6749 allows either).
        Assert.Equal(HttpStatusCode.BadRequest, beyond.StatusCode);
        Assert.Contains((await beyond.JsonAsync()).GetProperty("error").GetString(), new[] { "invalid_scope", "invalid_request" });
        var wrongSecret = await app.TokenAsync(new() { ["grant_type"] = "client_credentials", ["client_id"] = partner, ["client_secret"] = "guess" });
        Assert.Equal("invalid_client", (await wrongSecret.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Revocation_ends_a_token_at_once_and_introspection_tells_a_partner_whether_it_is_active()
    {
        var owner = await server.NewOwnerAsync();
        using var app = new OAuthTestClient(server, AppClient, AppRedirect);
        var tokens = await app.SignInWithCodeAsync(owner.Email, owner.Password, "read_account offline_access");
        var access = tokens.GetProperty("access_token").GetString()!;
        var partner = await PartnerClientAsync();
        async Task<JsonElement> IntrospectAsync() => await (await server.Client.PostAsync("/connect/introspect",
            Form(("token", access), ("client_id", partner), ("client_secret", "partner secret")))).JsonAsync();

        var active = await IntrospectAsync();
        Assert.True(active.GetProperty("active").GetBoolean());

        var revoked = await server.Client.PostAsync("/connect/revoke", Form(("token", access), ("client_id", AppClient)));
        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        await (await server.ClientWith(access).GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.False((await IntrospectAsync()).GetProperty("active").GetBoolean());

        // RFC 7009 §2.2: an unknown token is no error.
        var unknown = await server.Client.PostAsync("/connect/revoke", Form(("token", "not-a-token"), ("client_id", AppClient)));
        Assert.Equal(HttpStatusCode.OK, unknown.StatusCode);
    }

    [Fact]
    public async Task A_password_change_ends_the_apps_tokens()
    {
        var owner = await server.NewOwnerAsync();
        using var app = new OAuthTestClient(server, AppClient, AppRedirect);
        var tokens = await app.SignInWithCodeAsync(owner.Email, owner.Password, "read_account offline_access");
        var changed = await server.ClientWith(owner.AccessToken).PostAsync("/api/v1/me/password",
            JsonContent(new { currentPassword = owner.Password, newPassword = "another long password" }));
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await (await server.ClientWith(tokens.GetProperty("access_token").GetString()!).GetAsync("/api/v1/me"))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Equal(HttpStatusCode.BadRequest, (await app.RefreshAsync(tokens.GetProperty("refresh_token").GetString()!)).StatusCode);
    }

    private static string[] Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static System.Net.Http.Json.JsonContent JsonContent(object value) => System.Net.Http.Json.JsonContent.Create(value);
}

public sealed class OpenIdConnectOnSqlite(SqliteServer server) : OpenIdConnectTests(server), IClassFixture<SqliteServer>;

public sealed class OpenIdConnectOnPostgres(PostgresServer server) : OpenIdConnectTests(server), IClassFixture<PostgresServer>;

/// <summary>Without the operator's setting the password grant is refused (RFC 9700).</summary>
public sealed class PasswordGrantOffByDefault(PasswordGrantOffByDefault.Server server) : IClassFixture<PasswordGrantOffByDefault.Server>
{
    public sealed class Server : SqliteServer
    {
        protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Accounts:PasswordGrant", "false")];
    }

    [Fact]
    public async Task The_password_grant_is_refused_unless_turned_on()
    {
        var response = await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "owner@example.com", ["password"] = "whatever it is",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_grant_type", (await response.JsonAsync()).GetProperty("error").GetString());
    }
}
