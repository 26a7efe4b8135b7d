using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Pitwall.Server.Data;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// A real Pitwall on Kestrel at 127.0.0.1 on a free port, on a fresh database, with a hand-driven clock.
/// One per test class; subclasses choose the engine.
/// </summary>
public abstract class PitwallServer : IAsyncLifetime
{
    public TestClock Clock { get; } = new();

    /// <summary>Every car message the ingest writer handed to a feature, with its (VIN, seq).</summary>
    public System.Collections.Concurrent.ConcurrentBag<(string Vin, long Seq)> Ingested { get; } = [];
    public WebApplication App { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;
    public string ConnectionString { get; private set; } = "";
    public abstract SqlDialect Dialect { get; }

    protected abstract Task<string> CreateDatabaseAsync();

    protected virtual Task DropDatabaseAsync(string connectionString) => Task.CompletedTask;

    /// <summary>Settings on top of the defaults; a subclass may tighten a limit to test it.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> Settings() => [];

    /// <summary>Settings a module reads while it registers (command-line form, <c>--Section:Key=value</c>), before <see cref="Settings"/> apply.</summary>
    protected virtual IEnumerable<string> StartupArguments() => [];

    /// <summary>
    /// Service ids no feature provides yet, provided here by stand-ins so that tests can buy the packages that grant them
    /// (the catalogue sells a package only when every service it grants is provided). The catalogue tests use none.
    /// </summary>
    protected virtual IReadOnlyList<string> StandInServices => ["navigation", "charging"];

    /// <summary>Services replaced for a test class, e.g. a stand-in for a feature that does not exist yet.</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync()
    {
        ConnectionString = await CreateDatabaseAsync();
        await StartAsync("http://127.0.0.1:0");
    }

    /// <summary>Stops this server and starts a new one on the same database and address, as a deployment does.</summary>
    public async Task RestartAsync()
    {
        var address = Client.BaseAddress!.ToString().TrimEnd('/');
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await StartAsync(address);
    }

    private async Task StartAsync(string urls)
    {
        App = Program.BuildApp(["--urls", urls, .. StartupArguments()], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Pitwall:Database:ConnectionString"] = ConnectionString,
                ["Pitwall:Http:AuthRequestsPerMinute"] = "100000",
                ["Pitwall:Retention:Enabled"] = "false",
                // Invoice tests run the monthly invoices themselves, at the times they choose.
                ["Charging:InvoiceJob"] = "false",
                // The tests sign their users in with the password grant (off by default, RFC 9700).
                ["Pitwall:Accounts:PasswordGrant"] = "true",
                // Staff sign in to the portal without enrolling a second factor; SecondFactorTests switch the rule on.
                ["Pitwall:Accounts:SecondFactorRequired"] = "false",
                ["Logging:LogLevel:Default"] = "Warning",
            });
            builder.Configuration.AddInMemoryCollection(Settings());
            builder.Services.AddSingleton<TimeProvider>(Clock);
            IngestRecorder.Install(builder.Services, Ingested);
            Pitwall.Server.Hosting.ProvidedServiceCollectionExtensions.AddProvidedServices(builder.Services, "stand-in", StandInServices);
            ConfigureServices(builder.Services);
        });
        await PitwallCommandLine.PrepareAsync(App, CancellationToken.None);
        await App.StartAsync();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public virtual async Task DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        await DropDatabaseAsync(ConnectionString);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Registers a vehicle directly in the registry and returns its VIN and link secret.</summary>
    public async Task<(string Vin, byte[] Secret)> RegisterVehicleAsync(string model = "Taycan", int year = 2025)
    {
        var vin = "WP0ZZZ99Z" + "TS" + Random.Shared.Next(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        var registered = await Get<Pitwall.Server.Features.Vehicles.VehicleRegistry>().RegisterAsync(
            new Pitwall.Server.Features.Vehicles.RegisterVehicleRequest(vin, model, year, "Frozen Blue", "S-PW 911", null), CancellationToken.None);
        return registered is null ? await RegisterVehicleAsync(model, year) : (vin, Convert.FromBase64String(registered.Secret));
    }

    public HttpClient ClientWith(string accessToken)
    {
        var client = new HttpClient { BaseAddress = Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client;
    }

    /// <summary>Registers an owner with a unique e-mail address and signs in.</summary>
    public async Task<TestUser> NewOwnerAsync(string password = "correct horse battery")
    {
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        var registered = await Client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, name = "Test Owner" });
        registered.EnsureSuccessStatusCode();
        var tokens = await SignInAsync(email, password);
        return new TestUser(email, password, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>A new owner account (or <paramref name="owner"/>) whose primary vehicle is a newly registered car (set up as an
    /// operator would, no pairing code).</summary>
    public async Task<OwnedVehicle> OwnedVehicleAsync(string model = "Taycan", int year = 2025, TestUser? owner = null)
    {
        owner ??= await NewOwnerAsync();
        var (vin, secret) = await RegisterVehicleAsync(model, year);
        var client = ClientWith(owner.AccessToken);
        var accountId = (await (await client.GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;
        await Get<Pitwall.Server.Features.Vehicles.PairingService>().AssignPrimaryAsync(vin, accountId, CancellationToken.None);
        return new OwnedVehicle(owner, accountId, client, vin, secret);
    }

    public async Task<Tokens> SignInAsync(string email, string password, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "password", ["username"] = email, ["password"] = password };
        if (scope is not null)
        {
            form["scope"] = scope;
        }
        var response = await Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(form));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Tokens>())!;
    }
}

public sealed record TestUser(string Email, string Password, string AccessToken, string RefreshToken);

public sealed record OwnedVehicle(TestUser Owner, string AccountId, HttpClient Client, string Vin, byte[] Secret);

public sealed record Tokens(
    [property: System.Text.Json.Serialization.JsonPropertyName("access_token")] string AccessToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("refresh_token")] string RefreshToken,
    [property: System.Text.Json.Serialization.JsonPropertyName("token_type")] string TokenType,
    [property: System.Text.Json.Serialization.JsonPropertyName("expires_in")] int ExpiresIn,
    [property: System.Text.Json.Serialization.JsonPropertyName("scope")] string Scope);

public class SqliteServer : PitwallServer
{
    private string? _directory;

    public override SqlDialect Dialect => SqlDialect.Sqlite;

    protected override Task<string> CreateDatabaseAsync()
    {
        _directory = Directory.CreateTempSubdirectory("pitwall-test-").FullName;
        return Task.FromResult($"Data Source={Path.Combine(_directory, "pitwall.db")}");
    }

    protected override Task DropDatabaseAsync(string connectionString)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
        return Task.CompletedTask;
    }
}

public class PostgresServer : PitwallServer
{
    public override SqlDialect Dialect => SqlDialect.Postgres;

    protected override Task<string> CreateDatabaseAsync() => TestPostgres.CreateDatabaseAsync();

    protected override Task DropDatabaseAsync(string connectionString) => TestPostgres.DropDatabaseAsync(connectionString);
}
