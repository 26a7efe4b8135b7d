using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>The OAuth 2.0 token endpoint end to end over HTTP, on each storage engine.</summary>
public abstract class AuthFlowTests(PitwallServer server)
{
    private static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));

    private Task<HttpResponseMessage> TokenAsync(params (string, string)[] fields) => server.Client.PostAsync("/api/v1/auth/token", Form(fields));

    [Fact]
    public async Task Register_sign_in_read_me_refresh_and_revoke()
    {
        var email = $"Mixed.Case-{Guid.NewGuid():N}@Example.com";
        var registered = await server.Client.PostAsJsonAsync("/api/v1/auth/register", new
        {
            email,
            password = "a long enough password",
            name = "Ada Owner",
            phoneNumbers = new[] { "+4971112345678" },
            address = new { street = "Porscheplatz 1", postalCode = "70435", city = "Stuttgart", country = "DE" },
            locale = "de-DE",
        });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);

        // E-mail addresses are case-insensitive.
        var signIn = await TokenAsync(("grant_type", "password"), ("username", email.ToUpperInvariant()), ("password", "a long enough password"));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal("no-store", signIn.Headers.CacheControl?.ToString());
        var tokens = (await signIn.Content.ReadFromJsonAsync<Tokens>())!;
        Assert.Equal("Bearer", tokens.TokenType);
        Assert.Equal(900, tokens.ExpiresIn);
        Assert.Contains("read_account", tokens.Scope.Split(' '));

        var me = await (await server.ClientWith(tokens.AccessToken).GetAsync("/api/v1/me")).JsonAsync();
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal("Ada Owner", me.GetProperty("name").GetString());
        Assert.Equal("+4971112345678", me.GetProperty("phoneNumbers")[0].GetString());
        Assert.Equal("Stuttgart", me.GetProperty("address").GetProperty("city").GetString());
        Assert.Equal("owner", me.GetProperty("role").GetString());

        var refreshed = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", tokens.RefreshToken));
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
        var rotated = (await refreshed.Content.ReadFromJsonAsync<Tokens>())!;
        Assert.NotEqual(tokens.RefreshToken, rotated.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(rotated.AccessToken).GetAsync("/api/v1/me")).StatusCode);

        var revoke = await server.Client.PostAsync("/api/v1/auth/revoke", Form(("token", rotated.RefreshToken)));
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        var refused = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", rotated.RefreshToken));
        Assert.Equal("invalid_grant", (await refused.JsonAsync()).GetProperty("error").GetString());
        // Revoking ends the session, so its access tokens stop working at once.
        var afterRevoke = await server.ClientWith(rotated.AccessToken).GetAsync("/api/v1/me");
        await afterRevoke.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        Assert.Contains("invalid_token", afterRevoke.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task A_reused_refresh_token_revokes_its_whole_family()
    {
        var user = await server.NewOwnerAsync();
        var first = await (await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken))).Content.ReadFromJsonAsync<Tokens>();

        var replay = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken));
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.Equal("invalid_grant", (await replay.JsonAsync()).GetProperty("error").GetString());

        // The legitimate holder's newer tokens die with the family.
        var next = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", first!.RefreshToken));
        Assert.Equal("invalid_grant", (await next.JsonAsync()).GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.ClientWith(first.AccessToken).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_answer()
    {
        var user = await server.NewOwnerAsync();
        var wrongPassword = await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", "not the password"));
        var unknownUser = await TokenAsync(("grant_type", "password"), ("username", $"nobody-{Guid.NewGuid():N}@example.com"), ("password", "not the password"));

        Assert.Equal(HttpStatusCode.BadRequest, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownUser.StatusCode);
        var body = await wrongPassword.Content.ReadAsStringAsync();
        Assert.Equal(body, await unknownUser.Content.ReadAsStringAsync());
        Assert.Contains("\"error\":\"invalid_grant\"", body);
    }

    [Fact]
    public async Task Lock_out_engages_after_five_failures_and_lifts_after_fifteen_minutes()
    {
        var user = await server.NewOwnerAsync();
        var unknown = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < 5; i++)
        {
            await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", "wrong password"));
            await TokenAsync(("grant_type", "password"), ("username", unknown), ("password", "wrong password"));
        }

        var locked = await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", user.Password));
        var lockedBody = await locked.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, locked.StatusCode);
        Assert.Contains("invalid_grant", lockedBody);
        Assert.Contains("Too many failed sign-ins", lockedBody);
        // An unknown address locks the same way, so lock-out does not reveal which accounts exist.
        var lockedUnknown = await TokenAsync(("grant_type", "password"), ("username", unknown), ("password", "whatever it is"));
        Assert.Equal(lockedBody, await lockedUnknown.Content.ReadAsStringAsync());

        server.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.BadRequest,
            (await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", user.Password))).StatusCode);
        server.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK,
            (await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", user.Password))).StatusCode);
    }

    [Fact]
    public async Task Access_tokens_expire_after_fifteen_minutes_and_refresh_gives_new_ones()
    {
        var user = await server.NewOwnerAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/me")).StatusCode);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        await (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");

        var refreshed = await (await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken))).Content.ReadFromJsonAsync<Tokens>();
        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(refreshed!.AccessToken).GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Refresh_tokens_expire_after_thirty_days_unused()
    {
        var user = await server.NewOwnerAsync();
        server.Clock.Advance(TimeSpan.FromDays(30));
        var refused = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", user.RefreshToken));
        Assert.Equal("invalid_grant", (await refused.JsonAsync()).GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("client_credentials", "unsupported_grant_type")]
    [InlineData("authorization_code", "unsupported_grant_type")]
    [InlineData("", "invalid_request")]
    public async Task Unsupported_or_missing_grant_types_are_refused(string grantType, string error)
    {
        var fields = grantType.Length == 0 ? Array.Empty<(string, string)>() : [("grant_type", grantType)];
        var response = await TokenAsync(fields);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await response.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Token_requests_must_be_form_encoded_without_repeated_parameters()
    {
        var json = await server.Client.PostAsJsonAsync("/api/v1/auth/token", new { grant_type = "password", username = "a@b.cd", password = "x" });
        Assert.Equal("invalid_request", (await json.JsonAsync()).GetProperty("error").GetString());
        var repeated = await TokenAsync(("grant_type", "password"), ("grant_type", "refresh_token"));
        Assert.Equal("invalid_request", (await repeated.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Scopes_are_limited_to_the_role_and_enforced_per_endpoint()
    {
        var user = await server.NewOwnerAsync();
        var notAllowed = await TokenAsync(("grant_type", "password"), ("username", user.Email), ("password", user.Password), ("scope", "read_account control_admin"));
        Assert.Equal("invalid_scope", (await notAllowed.JsonAsync()).GetProperty("error").GetString());

        var readOnly = await server.SignInAsync(user.Email, user.Password, "read_account");
        Assert.Equal("read_account", readOnly.Scope);
        var client = server.ClientWith(readOnly.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        var patch = await client.PatchAsJsonAsync("/api/v1/me", new { name = "New Name" });
        await patch.AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");

        // A refresh may narrow the scope but never widen it.
        var widened = await TokenAsync(("grant_type", "refresh_token"), ("refresh_token", readOnly.RefreshToken), ("scope", "read_account control_account"));
        Assert.Equal("invalid_scope", (await widened.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Missing_or_bad_bearer_tokens_get_401_problems()
    {
        await (await server.Client.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await server.ClientWith("pwa_made-up").GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        using var basic = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me");
        basic.Headers.TryAddWithoutValidation("Authorization", "Basic dXNlcjpwYXNz");
        await (await server.Client.SendAsync(basic)).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_refresh_token_is_no_access_token()
    {
        var user = await server.NewOwnerAsync();
        await (await server.ClientWith(user.RefreshToken).GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task Revoking_an_unknown_token_succeeds_and_changes_nothing()
    {
        var user = await server.NewOwnerAsync();
        var response = await server.Client.PostAsync("/api/v1/auth/revoke", Form(("token", "pwr_unknown")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/me")).StatusCode);
        var missing = await server.Client.PostAsync("/api/v1/auth/revoke", Form());
        Assert.Equal("invalid_request", (await missing.JsonAsync()).GetProperty("error").GetString());
    }
}

public sealed class AuthFlowOnSqlite(SqliteServer server) : AuthFlowTests(server), IClassFixture<SqliteServer>;

public sealed class AuthFlowOnPostgres(PostgresServer server) : AuthFlowTests(server), IClassFixture<PostgresServer>;
