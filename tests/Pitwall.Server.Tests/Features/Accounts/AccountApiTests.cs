using System.Net;
using System.Net.Http.Json;
using System.Text;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Registration, <c>/me</c>, bad input and the security log, on each storage engine.</summary>
public abstract class AccountApiTests(PitwallServer server)
{
    [Fact]
    public async Task Registration_rejects_bad_fields_with_messages_per_field()
    {
        var response = await server.Client.PostAsJsonAsync("/api/v1/auth/register", new
        {
            email = "not-an-address",
            password = "short",
            name = "",
            phoneNumbers = new[] { "0711 12345" },
            address = new { street = "", postalCode = "70435", city = "Stuttgart", country = "Germany" },
            locale = "xx",
        });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "email", "password", "name", "phoneNumbers[0]", "address.street", "address.country", "locale" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
    }

    [Fact]
    public async Task An_e_mail_address_registers_once_whatever_its_case()
    {
        var email = $"twice-{Guid.NewGuid():N}@example.com";
        var first = await server.Client.PostAsJsonAsync("/api/v1/auth/register", new { email, password = "long enough password", name = "One" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await server.Client.PostAsJsonAsync("/api/v1/auth/register", new { email = email.ToUpperInvariant(), password = "long enough password", name = "Two" });
        await second.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task Owners_change_their_profile_and_only_valid_values_are_kept()
    {
        var user = await server.NewOwnerAsync();
        var client = server.ClientWith(user.AccessToken);
        var patched = await client.PatchAsJsonAsync("/api/v1/me", new { name = "Renamed", phoneNumbers = new[] { "+33612345678", "+4915112345678" }, locale = "fr" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var bad = await client.PatchAsJsonAsync("/api/v1/me", new { locale = "klingon" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var me = await (await client.GetAsync("/api/v1/me")).JsonAsync();
        Assert.Equal("Renamed", me.GetProperty("name").GetString());
        Assert.Equal("fr", me.GetProperty("locale").GetString());
        Assert.Equal(2, me.GetProperty("phoneNumbers").GetArrayLength());
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions_but_keeps_this_one()
    {
        var user = await server.NewOwnerAsync();
        var other = await server.SignInAsync(user.Email, user.Password);
        var client = server.ClientWith(user.AccessToken);

        var wrong = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = "not it at all", newPassword = "a brand new password" });
        await wrong.AssertProblemAsync(HttpStatusCode.BadRequest, "wrong_password");

        var changed = await client.PostAsJsonAsync("/api/v1/me/password", new { currentPassword = user.Password, newPassword = "a brand new password" });
        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.ClientWith(other.AccessToken).GetAsync("/api/v1/me")).StatusCode);
        await server.SignInAsync(user.Email, "a brand new password");
    }

    [Fact]
    public async Task Malformed_json_gets_a_400_problem()
    {
        var response = await server.Client.PostAsync("/api/v1/auth/register", new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
        var wrongType = await server.Client.PostAsync("/api/v1/auth/register", new StringContent("{\"email\": 42}", Encoding.UTF8, "application/json"));
        await wrongType.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_json");
        var empty = await server.Client.PostAsync("/api/v1/auth/register", new StringContent("", Encoding.UTF8, "application/json"));
        await empty.AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }

    [Fact]
    public async Task Oversize_bodies_get_a_413_problem()
    {
        var huge = "{\"name\":\"" + new string('x', 300 * 1024) + "\"}";
        var response = await server.Client.PostAsync("/api/v1/auth/register", new StringContent(huge, Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
        var form = await server.Client.PostAsync("/api/v1/auth/token", new StringContent("password=" + new string('x', 300 * 1024), Encoding.UTF8, "application/x-www-form-urlencoded"));
        await form.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_get_problems()
    {
        await (await server.Client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await server.Client.DeleteAsync("/api/v1/auth/token")).AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        var text = await server.Client.PostAsync("/api/v1/auth/register", new StringContent("hello", Encoding.UTF8, "text/plain"));
        await text.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported_media_type");
    }

    [Fact]
    public async Task No_request_produces_a_500()
    {
        var user = await server.NewOwnerAsync();
        var client = server.ClientWith(user.AccessToken);
        string[] bodies = ["", "null", "[]", "{}", "\"text\"", "{\"email\":null,\"password\":null}", "{\"phoneNumbers\":[null]}",
            "{\"address\":{}}", "{\"address\":null,\"name\":\"\\u0000\"}", "{\"locale\":123}", "{\"name\":" + new string('[', 100) + "}"];
        string[] types = ["application/json", "application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"];
        (HttpMethod, string)[] routes =
        [
            (HttpMethod.Post, "/api/v1/auth/register"), (HttpMethod.Post, "/api/v1/auth/token"), (HttpMethod.Post, "/api/v1/auth/revoke"),
            (HttpMethod.Patch, "/api/v1/me"), (HttpMethod.Post, "/api/v1/me/password"), (HttpMethod.Get, "/api/v1/privacy/data-categories/%00"),
        ];
        foreach (var (method, route) in routes)
        {
            foreach (var type in types)
            {
                foreach (var body in bodies)
                {
                    using var request = new HttpRequestMessage(method, route) { Content = new StringContent(body, Encoding.UTF8) };
                    request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(type);
                    var response = await client.SendAsync(request);
                    Assert.True((int)response.StatusCode < 500, $"{method} {route} [{type}] {body} -> {(int)response.StatusCode}");
                }
            }
        }
    }

    [Fact]
    public async Task Sign_ins_and_sign_outs_are_in_the_security_log_without_personal_details()
    {
        var user = await server.NewOwnerAsync();
        await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = user.Email, ["password"] = "wrong password",
        }));
        await server.Client.PostAsync("/api/v1/auth/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = user.RefreshToken }));

        var me = await (await server.ClientWith((await server.SignInAsync(user.Email, user.Password)).AccessToken).GetAsync("/api/v1/me")).JsonAsync();
        var accountId = me.GetProperty("id").GetString();
        var events = await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>(
            "SELECT event FROM security_log WHERE account_id = @accountId ORDER BY id", new { accountId }), CancellationToken.None);
        Assert.Equal(["login_succeeded", "login_failed", "logout", "login_succeeded"], events);
    }
}

public sealed class AccountApiOnSqlite(SqliteServer server) : AccountApiTests(server), IClassFixture<SqliteServer>;

public sealed class AccountApiOnPostgres(PostgresServer server) : AccountApiTests(server), IClassFixture<PostgresServer>;
