using System.Net;
using System.Net.Http.Json;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Privacy;

/// <summary>The published register and the retention rules it declares, enforced by moving time.</summary>
public abstract class PrivacyTests(PitwallServer server)
{
    private Task<long> CountAsync(string sql, object args) =>
        server.Get<Database>().ReadAsync(c => c.ExecuteScalarAsync<long>(sql, args), CancellationToken.None);

    private Task SweepAsync() => server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);

    private async Task<string> AccountIdAsync(TestUser user) =>
        (await (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;

    [Fact]
    public async Task The_privacy_register_document_is_what_the_code_declares()
    {
        var committed = await File.ReadAllTextAsync(Path.Combine(PortalBrowser.RepositoryRoot(), "docs", "privacy-register.md"));
        var generated = PrivacyRegisterDocument.Render(server.Get<Pitwall.Server.Data.Privacy.DataCategoryRegister>().All);
        Assert.True(committed.ReplaceLineEndings() == generated.ReplaceLineEndings(),
            "docs/privacy-register.md is out of date: run `dotnet run --project src/Pitwall.Server -- admin privacy-register --out docs/privacy-register.md`.");
    }

    [Fact]
    public async Task The_register_lists_every_category_with_purpose_basis_and_retention()
    {
        var categories = await (await server.Client.GetAsync("/api/v1/privacy/data-categories")).JsonAsync();
        var byId = categories.EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        Assert.Contains("account", byId.Keys);
        Assert.Contains("platform_operations", byId.Keys);
        var securityLog = byId["security_log"];
        Assert.Equal("legitimate_interest", securityLog.GetProperty("legalBasis").GetString());
        Assert.Equal("period", securityLog.GetProperty("retention").GetProperty("kind").GetString());
        Assert.Equal(365, securityLog.GetProperty("retention").GetProperty("days").GetInt32());
        Assert.All(byId.Values, c => Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("purpose").GetString())));

        Assert.Equal(HttpStatusCode.OK, (await server.Client.GetAsync("/api/v1/privacy/data-categories/account")).StatusCode);
        await (await server.Client.GetAsync("/api/v1/privacy/data-categories/nope")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Security_log_entries_stay_twelve_months_and_not_a_second_longer()
    {
        var user = await server.NewOwnerAsync();
        var accountId = await AccountIdAsync(user);
        const string count = "SELECT COUNT(*) FROM security_log WHERE account_id = @accountId";
        Assert.Equal(1, await CountAsync(count, new { accountId }));

        server.Clock.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(1, await CountAsync(count, new { accountId }));

        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await SweepAsync();
        Assert.Equal(0, await CountAsync(count, new { accountId }));
    }

    [Fact]
    public async Task Sign_in_sessions_are_removed_once_they_expire()
    {
        var user = await server.NewOwnerAsync();
        var accountId = await AccountIdAsync(user);
        const string sessions = "SELECT COUNT(*) FROM auth_sessions WHERE account_id = @accountId";
        const string tokens = "SELECT COUNT(*) FROM refresh_tokens r JOIN auth_sessions s ON s.id = r.session_id WHERE s.account_id = @accountId";

        server.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(1, await CountAsync(tokens, new { accountId }));
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await SweepAsync();
        Assert.Equal(0, await CountAsync(tokens, new { accountId }));
        Assert.Equal(1, await CountAsync(sessions, new { accountId })); // the session lives 90 days

        server.Clock.Advance(TimeSpan.FromDays(60));
        await SweepAsync();
        Assert.Equal(0, await CountAsync(sessions, new { accountId }));
    }

    [Fact]
    public async Task Failed_sign_in_counters_are_kept_one_day()
    {
        var email = $"nobody-{Guid.NewGuid():N}@example.com";
        await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = email, ["password"] = "wrong password",
        }));
        const string all = "SELECT COUNT(*) FROM login_throttle WHERE window_started_at >= @since";
        var since = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        Assert.Equal(1, await CountAsync(all, new { since }));
        server.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(0, await CountAsync(all, new { since }));
    }

    [Fact]
    public async Task Accounts_are_not_removed_by_retention()
    {
        var user = await server.NewOwnerAsync();
        server.Clock.Advance(TimeSpan.FromDays(3650));
        await SweepAsync();
        var registered = await server.Client.PostAsJsonAsync("/api/v1/auth/register", new { email = user.Email, password = "long enough password", name = "Again" });
        Assert.Equal(HttpStatusCode.Conflict, registered.StatusCode);
    }
}

public sealed class PrivacyOnSqlite(SqliteServer server) : PrivacyTests(server), IClassFixture<SqliteServer>;

public sealed class PrivacyOnPostgres(PostgresServer server) : PrivacyTests(server), IClassFixture<PostgresServer>;
