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
    public void Every_table_of_personal_data_says_which_rows_an_export_takes()
    {
        var register = server.Get<Pitwall.Server.Data.Privacy.DataCategoryRegister>();
        var silent = register.All.Where(c => c.PersonalData).SelectMany(c => c.Tables)
            .Where(t => t.AccountRows is null && t.NotExportedBecause is null).Select(t => t.Name).ToList();
        Assert.True(silent.Count == 0, $"Tables of personal data without an export rule: {string.Join(", ", silent)}");
    }

    [Fact]
    public async Task The_data_export_holds_everything_about_the_account_and_its_vehicles_and_nothing_of_others()
    {
        var (owner, me, client, vin, secret) = await server.OwnedVehicleAsync();
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret))
        {
            await car.WaitForAckAsync(await car.ReportAsync(Pitwall.Protocol.V1.Trigger.EngineStop,
                TestCar.Number(Pitwall.Protocol.SignalCatalog.Odometer, 4242, server.Clock.GetUtcNow())));
        }
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash" });
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/contracts", new { packageId = "navigation_plus" });
        var (other, _, _, otherVin, _) = await server.OwnedVehicleAsync();

        var response = await client.GetAsync("/api/v1/me/data-export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        using var archive = new System.IO.Compression.ZipArchive(await response.Content.ReadAsStreamAsync());
        var files = archive.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
        var personal = server.Get<Pitwall.Server.Data.Privacy.DataCategoryRegister>().All.Where(c => c.PersonalData).Select(c => $"{c.Id}.json");
        Assert.All(personal, name => Assert.Contains(name, files.Keys));
        Assert.Contains("summary.md", files.Keys);

        System.Text.Json.JsonElement Rows(string category, string table) =>
            System.Text.Json.JsonDocument.Parse(files[$"{category}.json"]).RootElement.GetProperty("tables").GetProperty(table);
        var account = Rows("account", "accounts")[0];
        Assert.Equal(owner.Email, account.GetProperty("email").GetString());
        Assert.Equal("(stored, not exported)", account.GetProperty("password_hash").GetString());
        Assert.Single(Rows("vehicle_status", "vehicle_status").EnumerateArray());
        Assert.Equal("flash", Rows("remote_commands", "vehicle_commands")[0].GetProperty("type").GetString());
        Assert.Contains(Rows("contracts", "contracts").EnumerateArray(), c => c.GetProperty("package_id").GetString() == "navigation_plus");
        Assert.NotEmpty(Rows("security_log", "security_log").EnumerateArray());
        Assert.NotEmpty(Rows("sign_in_sessions", "auth_sessions").EnumerateArray());
        var everything = string.Concat(files.Values);
        Assert.DoesNotContain(otherVin, everything);
        Assert.DoesNotContain(other.Email, everything);
        Assert.DoesNotContain(owner.AccessToken, everything);
    }

    [Fact]
    public async Task Erasing_an_account_leaves_nothing_of_it_in_any_table_but_keeps_its_contracts_unlinked()
    {
        var (owner, me, client, vin, secret) = await server.OwnedVehicleAsync();
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret))
        {
            await car.WaitForAckAsync(await car.ReportAsync(Pitwall.Protocol.V1.Trigger.EngineStop,
                TestCar.Number(Pitwall.Protocol.SignalCatalog.Odometer, 4242, server.Clock.GetUtcNow())));
        }
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/commands", new { type = "flash", expiresInSeconds = 600 });
        await client.PutAsJsonAsync("/api/v1/me/remote-pin", new { pin = "4711" });
        await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/access-keys", new { purpose = "map_position" });
        var contract = await (await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/contracts", new
        {
            packageId = "car_security",
            carSecurity = new { phoneNumbers = new[] { "+491701234567" }, securityQuestion = "First car?", securityAnswer = "Beetle", colour = "Red", registrationNumber = "S-XX 1" },
        })).JsonAsync();
        await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = owner.Email, ["password"] = "wrong password, counted",
        }));

        var refused = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = "nope" }) });
        await refused.AssertProblemAsync(HttpStatusCode.BadRequest, "wrong_password");
        var erased = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        // Every table of the schema, every value: nothing names the account or its e-mail address any more.
        var database = server.Get<Database>();
        var tables = await database.ReadAsync(c => c.QueryAsync<string>(server.Dialect == SqlDialect.Postgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"), CancellationToken.None);
        foreach (var table in tables)
        {
            var rows = await database.ReadAsync(c => c.QueryAsync($"SELECT * FROM {table}"), CancellationToken.None);
            foreach (IDictionary<string, object?> row in rows)
            {
                foreach (var value in row.Values.OfType<string>())
                {
                    Assert.False(value.Contains(me, StringComparison.Ordinal) || value.Contains(owner.Email, StringComparison.OrdinalIgnoreCase),
                        $"{table} still holds the erased account: {value}");
                }
            }
        }
        Assert.Equal(1, await CountAsync("SELECT COUNT(*) FROM contracts WHERE id = @id AND account_id IS NULL", new { id = contract.GetProperty("id").GetString() }));
        Assert.Equal(0, await CountAsync("SELECT COUNT(*) FROM vehicle_users WHERE vin = @vin", new { vin })); // the car is free for its next owner
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = owner.Email, ["password"] = owner.Password,
        }))).StatusCode);
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
    public async Task Each_retention_run_records_what_it_removed_per_category_and_nothing_else()
    {
        var user = await server.NewOwnerAsync();
        server.Clock.Advance(TimeSpan.FromDays(366));
        var removed = await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.True(removed.GetValueOrDefault("security_log") >= 1);

        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<Pitwall.Server.Features.Accounts.AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var admin = server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
        var runs = await (await admin.GetAsync("/api/v1/admin/retention-runs?limit=5")).JsonAsync();
        var latest = runs[0];
        Assert.Equal(removed["security_log"], latest.GetProperty("removed").GetProperty("security_log").GetInt64());
        Assert.Equal(server.Clock.GetUtcNow(), latest.GetProperty("finishedAt").GetDateTimeOffset());
        Assert.DoesNotContain(user.Email, runs.GetRawText());
        await (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/admin/retention-runs")).AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task A_consent_covers_one_purpose_and_scope_until_it_is_withdrawn_and_its_record_stays()
    {
        var (_, _, client, vin, _) = await server.OwnedVehicleAsync();
        var consents = server.Get<Consents>();

        await (await client.PostAsJsonAsync("/api/v1/me/consents", new { vin, purpose = "selling_my_soul", scope = "case 1" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var (strangerVin, _) = await server.RegisterVehicleAsync();
        await (await client.PostAsJsonAsync("/api/v1/me/consents", new { vin = strangerVin, purpose = "breakdown_data_sharing", scope = "case 1" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        var given = await (await client.PostAsJsonAsync("/api/v1/me/consents", new { vin, purpose = "breakdown_data_sharing", scope = "case 1" })).JsonAsync();
        Assert.True(await consents.IsGivenAsync(vin, "breakdown_data_sharing", "case 1", CancellationToken.None));
        Assert.False(await consents.IsGivenAsync(vin, "breakdown_data_sharing", "case 2", CancellationToken.None)); // each time anew
        var withdrawn = await (await client.PostAsync($"/api/v1/me/consents/{given.GetProperty("id").GetString()}/withdraw", null)).JsonAsync();
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, withdrawn.GetProperty("withdrawnAt").ValueKind);
        Assert.False(await consents.IsGivenAsync(vin, "breakdown_data_sharing", "case 1", CancellationToken.None));
        var list = await (await client.GetAsync("/api/v1/me/consents")).JsonAsync();
        Assert.Equal("app", Assert.Single(list.EnumerateArray()).GetProperty("channel").GetString());
        await (await server.ClientWith((await server.NewOwnerAsync()).AccessToken).PostAsync($"/api/v1/me/consents/{given.GetProperty("id").GetString()}/withdraw", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Car_logins_and_logouts_are_recorded_and_kept_twelve_months()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        const string events = "SELECT COUNT(*) FROM vehicle_logins WHERE vin = @vin";
        using var connection = server.Get<Pitwall.Server.Features.LiveEvents.LiveEventHub>().Subscribe("privacy-test", [vin]);
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret))
        {
            Assert.Equal(1, await CountAsync(events + " AND event = 'login'", new { vin }));
        }
        // The server records the logout before it announces the disconnect.
        while ((await connection.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30))).Type != "vehicle.connection"
               || await CountAsync(events + " AND event = 'logout'", new { vin }) == 0)
        {
        }
        Assert.Equal(2, await CountAsync(events, new { vin }));

        server.Clock.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        await SweepAsync();
        Assert.Equal(2, await CountAsync(events, new { vin }));
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await SweepAsync();
        Assert.Equal(0, await CountAsync(events, new { vin }));
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
