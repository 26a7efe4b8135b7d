using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Features.Accounts.SecondFactor;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Accounts;

/// <summary>Issue 20's story for staff: a SOC operator without a second factor is sent to enrol before the console; a wrong TOTP is
/// refused and logged; a code works once; wrong codes lock the address out like wrong passwords; recovery codes work once; the
/// OpenID Connect provider asks for the code too; an administrator resets a lost factor.</summary>
public abstract partial class SecondFactorTests(PitwallServer server)
{
    private async Task<(TestUserCredentials User, string AccountId)> StaffAsync(string role = "soc_operator")
    {
        var user = new TestUserCredentials($"{role}-{Guid.NewGuid():N}@example.com", "a staff password");
        var created = await server.Get<AccountAdministration>().CreateUserAsync(user.Email, "Sam Staff", role, user.Password, CancellationToken.None);
        return (user, created.AccountId!);
    }

    private string CodeNow(string secret) => TotpCodes.CodeAt(secret, server.Clock.GetUtcNow());

    private static string Wrong(string code) => string.Concat(code.Select((c, i) => i == 0 ? (char)('0' + ((c - '0' + 1) % 10)) : c));

    private Task<List<string>> SecurityEventsAsync(string accountId) => server.Get<Database>().ReadAsync(async c =>
        (await c.QueryAsync<string>("SELECT event FROM security_log WHERE account_id = @accountId ORDER BY id", new { accountId })).ToList(), CancellationToken.None);

    /// <summary>Signs in and enrols (the first sign-in of staff); returns the secret and the recovery codes.</summary>
    private async Task<(string Secret, List<string> RecoveryCodes)> EnrolAsync(PortalForms portal, TestUserCredentials user, string returnUrl = "/soc")
    {
        var signedIn = await portal.SignInAsync(user, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var enrolUrl = signedIn.Headers.Location!.ToString();
        Assert.StartsWith("/account/second-factor", enrolUrl, StringComparison.Ordinal);
        var page = await (await portal.GetAsync(enrolUrl)).Content.ReadAsStringAsync();
        Assert.Contains("<svg", page, StringComparison.Ordinal);
        var secret = SecretField().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        Assert.NotEmpty(secret);
        var confirmed = await portal.PostAsync(enrolUrl, new() { ["Code"] = CodeNow(secret), ["ReturnUrl"] = returnUrl }, enrolUrl + "&handler=Confirm");
        var shown = await confirmed.Content.ReadAsStringAsync();
        var codes = RecoveryCode().Matches(shown).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(SecondFactors.RecoveryCodeCount, codes.Count);
        return (secret, codes);
    }

    [Fact]
    public async Task A_soc_operator_without_a_second_factor_is_sent_to_enrol_before_the_console_and_a_wrong_code_is_refused_and_logged()
    {
        var (user, accountId) = await StaffAsync();
        using var first = new PortalForms(server);
        var signedIn = await first.SignInAsync(user, "/soc");
        Assert.Equal("/account/second-factor?ReturnUrl=%2Fsoc", signedIn.Headers.Location!.ToString());
        // The password alone reaches no console: the pending cookie is no sign-in.
        Assert.StartsWith("/signin", (await first.GetAsync("/soc")).Headers.Location!.AbsolutePath, StringComparison.Ordinal);

        var enrolPage = await (await first.GetAsync("/account/second-factor?ReturnUrl=%2Fsoc")).Content.ReadAsStringAsync();
        var secret = SecretField().Match(enrolPage).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var refused = await first.PostAsync("/account/second-factor?ReturnUrl=%2Fsoc", new() { ["Code"] = Wrong(CodeNow(secret)), ["ReturnUrl"] = "/soc" },
            "/account/second-factor?handler=Confirm");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("The code is wrong", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var enrolCode = CodeNow(secret);
        var confirmed = await first.PostAsync("/account/second-factor?ReturnUrl=%2Fsoc", new() { ["Code"] = enrolCode, ["ReturnUrl"] = "/soc" },
            "/account/second-factor?handler=Confirm");
        Assert.Contains("id=\"recovery-codes\"", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/soc")).StatusCode);

        // The next sign-in asks for the code after the password.
        using var second = new PortalForms(server);
        var password = await second.SignInAsync(user, "/soc");
        Assert.Equal("/signin/verify?ReturnUrl=%2Fsoc", password.Headers.Location!.ToString());
        var verify = "/signin/verify?ReturnUrl=%2Fsoc";
        var replayed = await second.PostAsync(verify, new() { ["Code"] = enrolCode, ["ReturnUrl"] = "/soc" });
        Assert.Equal(HttpStatusCode.OK, replayed.StatusCode); // the code of the enrolment, in the same step: used already
        var wrong = await second.PostAsync(verify, new() { ["Code"] = Wrong(CodeNow(secret)), ["ReturnUrl"] = "/soc" });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The code is wrong or was already used.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("/signin", (await second.GetAsync("/soc")).Headers.Location!.AbsolutePath, StringComparison.Ordinal);

        server.Clock.Advance(TotpCodes.Step);
        var right = await second.PostAsync(verify, new() { ["Code"] = CodeNow(secret), ["ReturnUrl"] = "/soc" });
        Assert.Equal("/soc", right.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/soc")).StatusCode);

        Assert.Equal(
            [SecurityLog.SecondFactorEnrolled, SecurityLog.LoginSucceeded, SecurityLog.SecondFactorReplayed, SecurityLog.SecondFactorFailed, SecurityLog.LoginSucceeded],
            await SecurityEventsAsync(accountId));
    }

    [Fact]
    public async Task Wrong_codes_count_toward_the_lock_out_of_the_address()
    {
        var (user, accountId) = await StaffAsync("admin");
        using var first = new PortalForms(server);
        var (secret, _) = await EnrolAsync(first, user, "/admin");
        using var second = new PortalForms(server);
        await second.SignInAsync(user);
        for (var i = 0; i < 5; i++)
        {
            await second.PostAsync("/signin/verify", new() { ["Code"] = Wrong(CodeNow(secret)) });
        }
        server.Clock.Advance(TotpCodes.Step);
        // Locked: the right code is refused now, and so is the password.
        var locked = await second.PostAsync("/signin/verify", new() { ["Code"] = CodeNow(secret) });
        Assert.NotEqual(HttpStatusCode.Redirect, locked.StatusCode);
        using var third = new PortalForms(server);
        var again = await third.SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("Too many failed sign-ins", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains(SecurityLog.LockedOut, await SecurityEventsAsync(accountId));
        server.Clock.Advance(TimeSpan.FromMinutes(16));
        await third.SignInAsync(user);
        var after = await third.PostAsync("/signin/verify", new() { ["Code"] = CodeNow(secret) });
        Assert.Equal("/admin", after.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once_and_an_administrator_resets_a_lost_factor()
    {
        var (user, accountId) = await StaffAsync("dealer");
        using var first = new PortalForms(server);
        var (_, codes) = await EnrolAsync(first, user, "/dealer");
        using var second = new PortalForms(server);
        await second.SignInAsync(user);
        var recovered = await second.PostAsync("/signin/verify", new() { ["Code"] = codes[3].ToUpperInvariant() });
        Assert.Equal("/dealer", recovered.Headers.Location!.ToString());
        using var third = new PortalForms(server);
        await third.SignInAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await third.PostAsync("/signin/verify", new() { ["Code"] = codes[3] })).StatusCode);

        Assert.True((await server.Get<AccountAdministration>().ResetSecondFactorAsync(user.Email, CancellationToken.None)).Succeeded);
        // Every session ended; the next sign-in enrols again.
        Assert.StartsWith("/signin", (await second.GetAsync("/dealer")).Headers.Location!.AbsolutePath, StringComparison.Ordinal);
        using var fourth = new PortalForms(server);
        Assert.StartsWith("/account/second-factor", (await fourth.SignInAsync(user)).Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Contains(SecurityLog.RecoveryCodeUsed, await SecurityEventsAsync(accountId));
        Assert.Contains(SecurityLog.SecondFactorReset, await SecurityEventsAsync(accountId));
        // The secret is stored encrypted, not as the Base32 the app was given.
        var stored = await server.Get<Database>().ReadAsync(c => c.QueryAsync<string>("SELECT secret_protected FROM account_second_factors WHERE account_id = @accountId", new { accountId }), CancellationToken.None);
        Assert.All(stored, s => Assert.DoesNotMatch("^[A-Z2-7]{32}$", s));
    }

    [Fact]
    public async Task The_openid_connect_provider_asks_for_the_code_after_the_password()
    {
        var (user, _) = await StaffAsync("assistance_agent");
        using (var portal = new PortalForms(server))
        {
            var (secret, _) = await EnrolAsync(portal, user, "/assistance");
            server.Clock.Advance(TotpCodes.Step);
            using var app = new OAuthTestClient(server, OidcOptions.FirstPartyClientId, OidcOptions.DefaultFirstPartyRedirectUri);
            var tokens = await app.SignInWithCodeAsync(user.Email, user.Password, "openid read_assistance", secondFactor: () => CodeNow(secret));
            Assert.False(string.IsNullOrEmpty(tokens.GetProperty("access_token").GetString()));
        }
        // The password grant asks for no second factor, so an account that has one is refused it.
        var grant = await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = user.Email, ["password"] = user.Password,
        }));
        Assert.Equal("invalid_grant", (await grant.JsonAsync()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task An_owner_chooses_a_second_factor_in_the_profile_and_may_switch_it_off()
    {
        var owner = await server.NewOwnerAsync();
        var user = new TestUserCredentials(owner.Email, owner.Password);
        using var portal = new PortalForms(server);
        Assert.Equal("/vehicles", (await portal.SignInAsync(user)).Headers.Location!.ToString());
        var page = await (await portal.GetAsync("/account/second-factor")).Content.ReadAsStringAsync();
        var secret = SecretField().Match(page).Groups[1].Value.Replace(" ", "", StringComparison.Ordinal);
        var confirmed = await portal.PostAsync("/account/second-factor", new() { ["Code"] = CodeNow(secret) }, "/account/second-factor?handler=Confirm");
        Assert.Contains("id=\"recovery-codes\"", await confirmed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var again = new PortalForms(server);
        Assert.Equal("/signin/verify?ReturnUrl=", (await again.SignInAsync(user)).Headers.Location!.ToString());

        server.Clock.Advance(TotpCodes.Step);
        var off = await portal.PostAsync("/account/second-factor", new() { ["Code"] = CodeNow(secret) }, "/account/second-factor?handler=Remove");
        Assert.Contains("The second factor is switched off.", await off.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var third = new PortalForms(server);
        Assert.Equal("/vehicles", (await third.SignInAsync(user)).Headers.Location!.ToString());
    }

    [GeneratedRegex("id=\"secret\">([A-Z2-7 ]+)<")]
    private static partial Regex SecretField();

    [GeneratedRegex("<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")]
    private static partial Regex RecoveryCode();
}

public sealed class StaffSecondFactorSqliteServer : SqliteServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Accounts:SecondFactorRequired", "true")];
}

public sealed class StaffSecondFactorPostgresServer : PostgresServer
{
    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => [new("Pitwall:Accounts:SecondFactorRequired", "true")];
}

public sealed class SecondFactorOnSqlite(StaffSecondFactorSqliteServer server) : SecondFactorTests(server), IClassFixture<StaffSecondFactorSqliteServer>;

public sealed class SecondFactorOnPostgres(StaffSecondFactorPostgresServer server) : SecondFactorTests(server), IClassFixture<StaffSecondFactorPostgresServer>;
