using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Administrators find accounts, rename them, change their role, disable and enable them through the admin API.</summary>
public abstract class UserAdministrationTests(PitwallServer server)
{
    private async Task<(HttpClient Client, string Id)> AdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        var created = await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
        return (server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken), created.AccountId!);
    }

    private async Task<HttpResponseMessage> PasswordGrantAsync(string email, string password) =>
        await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = email, ["password"] = password,
        }));

    [Fact]
    public async Task A_disabled_account_loses_its_sessions_at_once_cannot_sign_in_and_signs_in_again_once_enabled()
    {
        var (admin, _) = await AdminAsync();
        var owner = await server.NewOwnerAsync();
        var ownerClient = server.ClientWith(owner.AccessToken);
        var id = (await (await ownerClient.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;

        // Found by a fragment of the e-mail address, in any case.
        var found = await (await admin.GetAsync($"/api/v1/admin/users?q={owner.Email[6..18].ToUpperInvariant()}")).JsonAsync();
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal(id, found.GetProperty("items")[0].GetProperty("id").GetString());

        var disabled = await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{id}", new { name = "Renamed Owner", disabled = true })).JsonAsync();
        Assert.Equal("Renamed Owner", disabled.GetProperty("name").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, disabled.GetProperty("disabledAt").ValueKind);
        await (await ownerClient.GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
        var refused = await (await PasswordGrantAsync(owner.Email, owner.Password)).JsonAsync();
        Assert.Equal("invalid_grant", refused.GetProperty("error").GetString());
        Assert.Equal("This account is disabled; ask an administrator.", refused.GetProperty("error_description").GetString());

        var enabled = await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{id}", new { disabled = false })).JsonAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, enabled.GetProperty("disabledAt").ValueKind);
        Assert.Equal("Renamed Owner", enabled.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PasswordGrantAsync(owner.Email, owner.Password)).StatusCode);
        var fresh = (await admin.GetAsync($"/api/v1/admin/users/{id}")).JsonAsync();
        Assert.Equal("owner", (await fresh).GetProperty("role").GetString());
    }

    [Fact]
    public async Task Changes_are_validated_an_admin_keeps_their_own_account_and_only_admins_may_change_accounts()
    {
        var (admin, adminId) = await AdminAsync();
        var owner = await server.NewOwnerAsync();
        var id = (await (await server.ClientWith(owner.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;

        var bad = await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{id}", new { name = "", role = "king" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("name", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("role", out _));
        await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{adminId}", new { disabled = true }))
            .AssertProblemAsync(HttpStatusCode.Conflict, AccountErrorCodes.OwnAccount);
        await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{adminId}", new { role = "owner" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, AccountErrorCodes.OwnAccount);
        await (await admin.PatchAsJsonAsync("/api/v1/admin/users/nobody", new { disabled = true })).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync("/api/v1/admin/users?page=0")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await server.ClientWith(owner.AccessToken).PatchAsJsonAsync($"/api/v1/admin/users/{adminId}", new { disabled = true }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");

        // A new role ends the sessions: the next sign-in brings the role's scopes.
        var changed = await (await admin.PatchAsJsonAsync($"/api/v1/admin/users/{id}", new { role = "soc_operator" })).JsonAsync();
        Assert.Equal("soc_operator", changed.GetProperty("role").GetString());
        await (await server.ClientWith(owner.AccessToken).GetAsync("/api/v1/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task The_openapi_document_describes_the_user_administration_with_its_problems()
    {
        var paths = (await (await server.Client.GetAsync("/openapi/v1.json")).JsonAsync()).GetProperty("paths");
        Assert.True(paths.GetProperty("/api/v1/admin/users").TryGetProperty("get", out _));
        var patch = paths.GetProperty("/api/v1/admin/users/{id}").GetProperty("patch").GetProperty("responses");
        Assert.True(patch.TryGetProperty("400", out _) && patch.TryGetProperty("404", out _) && patch.TryGetProperty("409", out _));
    }
}

public sealed class UserAdministrationOnSqlite(SqliteServer server) : UserAdministrationTests(server), IClassFixture<SqliteServer>;

public sealed class UserAdministrationOnPostgres(PostgresServer server) : UserAdministrationTests(server), IClassFixture<PostgresServer>;
