using System.Net;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>The <c>pitwall</c> binary as an operator runs it: its own process, its own working directory.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-cli-").FullName;

    private string Database => $"Data Source={Path.Combine(_directory, "cli.db")}";

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task The_demo_command_serves_a_ready_server_with_demo_accounts_on_sqlite_in_the_working_directory()
    {
        await using var process = PitwallProcess.Start(_directory, ["demo", "--urls", "http://127.0.0.1:0"]);
        using var client = new HttpClient { BaseAddress = new Uri(await process.ListeningAddressAsync()) };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var token = await client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "owner@demo.pitwall.dev", ["password"] = "pitwall-demo",
        }));
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        Assert.True(File.Exists(Path.Combine(_directory, "data", "pitwall.db")));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/openapi/v1.json")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/docs/index.html")).StatusCode);
        // The demo fleet: three simulated cars belong to the demo owner.
        var accessToken = (await token.JsonAsync()).GetProperty("access_token").GetString();
        using var owner = new HttpClient { BaseAddress = client.BaseAddress };
        owner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", accessToken);
        Assert.Equal(3, (await (await owner.GetAsync("/api/v1/vehicles")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Admin_create_user_then_reset_password_lets_that_user_sign_in()
    {
        var (created, output) = await PitwallProcess.RunAsync(_directory,
            "admin", "create-user", "--email", "operator@example.com", "--name", "Olga Operator", "--role", "soc_operator", "--database", Database);
        Assert.True(created == 0, output);
        Assert.Contains("password: ", output);

        var (duplicate, duplicateOutput) = await PitwallProcess.RunAsync(_directory,
            "admin", "create-user", "--email", "OPERATOR@example.com", "--name", "Again", "--database", Database);
        Assert.Equal(1, duplicate);
        Assert.Contains("exists", duplicateOutput);

        var (reset, resetOutput) = await PitwallProcess.RunAsync(_directory,
            "admin", "reset-password", "--email", "operator@example.com", "--password", "a new operator password", "--database", Database);
        Assert.True(reset == 0, resetOutput);

        // The password grant is off unless the operator turns it on (RFC 9700); this test signs in with it.
        await using var server = PitwallProcess.Start(_directory,
            ["serve", "--urls", "http://127.0.0.1:0", "--database", Database, "--Pitwall:Accounts:PasswordGrant=true"]);
        using var client = new HttpClient { BaseAddress = new Uri(await server.ListeningAddressAsync()) };
        var token = await client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = "operator@example.com", ["password"] = "a new operator password",
        }));
        var body = await token.Content.ReadAsStringAsync();
        Assert.True(token.StatusCode == HttpStatusCode.OK, body);
        Assert.Contains("read_soc", body);
    }

    [Fact]
    public async Task Admin_create_client_prints_a_partner_secret_once_and_list_clients_and_rotate_client_secret_follow()
    {
        var (created, output) = await PitwallProcess.RunAsync(_directory,
            "admin", "create-client", "--kind", "partner", "--name", "Fleet Co", "--scope", "read_dealer", "--database", Database);
        Assert.True(created == 0, output);
        var clientId = Line(output, "client_id: ");
        var secret = Line(output, "client_secret: ");

        var (listed, listOutput) = await PitwallProcess.RunAsync(_directory, "admin", "list-clients", "--database", Database);
        Assert.True(listed == 0, listOutput);
        Assert.Contains($"{clientId}\tpartner\tFleet Co\tread_dealer", listOutput);
        Assert.DoesNotContain(secret, listOutput);

        var (rotated, rotateOutput) = await PitwallProcess.RunAsync(_directory, "admin", "rotate-client-secret", "--client-id", clientId, "--database", Database);
        Assert.True(rotated == 0, rotateOutput);
        Assert.NotEqual(secret, Line(rotateOutput, "client_secret: "));

        var (refused, refusedOutput) = await PitwallProcess.RunAsync(_directory,
            "admin", "create-client", "--kind", "third_party", "--name", "App", "--scope", "read_location", "--database", Database);
        Assert.Equal(1, refused);
        Assert.Contains("redirect URI", refusedOutput);
    }

    private static string Line(string output, string prefix) =>
        output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];

    [Fact]
    public async Task Unknown_roles_and_missing_options_are_refused_with_help()
    {
        var (badRole, output) = await PitwallProcess.RunAsync(_directory,
            "admin", "create-user", "--email", "x@example.com", "--name", "X", "--role", "emperor", "--database", Database);
        Assert.NotEqual(0, badRole);
        Assert.Contains("emperor", output);
        var (missing, _) = await PitwallProcess.RunAsync(_directory, "admin", "create-user", "--database", Database);
        Assert.NotEqual(0, missing);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (code, output) = await PitwallProcess.RunAsync(_directory, "--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "serve", "demo", "migrate", "admin", "--database" })
        {
            Assert.Contains(command, output);
        }
    }

    [Fact]
    public async Task Migrate_applies_once_and_serve_refuses_a_database_newer_than_the_binary()
    {
        var (first, firstOutput) = await PitwallProcess.RunAsync(_directory, "migrate", "--database", Database);
        Assert.True(first == 0, firstOutput);
        Assert.Contains("applied 0001 platform", firstOutput);
        var (second, secondOutput) = await PitwallProcess.RunAsync(_directory, "migrate", "--database", Database);
        Assert.Equal(0, second);
        Assert.Contains("up to date", secondOutput);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection(Database))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)";
            await command.ExecuteNonQueryAsync();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var (serve, serveOutput) = await PitwallProcess.RunAsync(_directory, "serve", "--urls", "http://127.0.0.1:0", "--database", Database);
        Assert.Equal(2, serve);
        Assert.Contains("schema version 9999", serveOutput);
    }

    [Fact]
    public async Task The_PITWALL_DATABASE_variable_selects_postgresql()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var environment = new Dictionary<string, string> { ["PITWALL_DATABASE"] = database.ConnectionString };
        var (code, output) = await PitwallProcess.RunAsync(environment, _directory, "migrate");
        Assert.True(code == 0, output);
        Assert.Contains("applied 0002 accounts", output);
        Assert.False(File.Exists(Path.Combine(_directory, "data", "pitwall.db")));
    }

    [Fact]
    public async Task Vehicle_register_and_vehicle_cert_write_what_a_car_needs()
    {
        var (registered, output) = await PitwallProcess.RunAsync(_directory,
            "admin", "vehicle-register", "--vin", "WP0ZZZ99ZTS123456", "--model", "Taycan", "--model-year", "2025", "--database", Database);
        Assert.True(registered == 0, output);
        Assert.Contains("secret: ", output);

        var (certified, certOutput) = await PitwallProcess.RunAsync(_directory,
            "admin", "vehicle-cert", "--vin", "WP0ZZZ99ZTS123456", "--out", Path.Combine(_directory, "certs"), "--database", Database);
        Assert.True(certified == 0, certOutput);
        using var certificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(
            Path.Combine(_directory, "certs", "WP0ZZZ99ZTS123456.crt"), Path.Combine(_directory, "certs", "WP0ZZZ99ZTS123456.key"));
        Assert.Equal("WP0ZZZ99ZTS123456", certificate.GetNameInfo(System.Security.Cryptography.X509Certificates.X509NameType.SimpleName, false));
        Assert.True(File.Exists(Path.Combine(_directory, "certs", "ca.crt")));

        var csv = Path.Combine(_directory, "fleet.csv");
        await File.WriteAllTextAsync(csv, "vin,model,model_year\nWP0ZZZ99ZTS123457,Macan,2022\nbad,Macan,2022\n");
        var (imported, importOutput) = await PitwallProcess.RunAsync(_directory, "admin", "vehicle-import", "--file", csv, "--fleet-secret", "s3cret", "--database", Database);
        Assert.Equal(1, imported);
        Assert.Contains("imported 1", importOutput);
        Assert.Contains("line 3", importOutput);
    }
}
