using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Npgsql;
using Pitwall.Protocol;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Issue 19 as an operator runs it: three <c>pitwall serve</c> processes (A, B, C) on one PostgreSQL database and one
/// nats-server, behind Debian's HAProxy with the shipped <c>deploy/haproxy/pitwall.cfg</c>. A fleet of
/// <see cref="FleetSize"/> cars is registered with <c>pitwall admin vehicle-import</c> (secrets derived from
/// <see cref="FleetSecret"/>); accounts are made through the API. Real clocks: the instances' heartbeats are short, so that
/// a killed instance is taken for dead within seconds.
/// </summary>
public sealed class ProcessCluster : IAsyncLifetime
{
    /// <summary>The test classes on a <see cref="ProcessCluster"/> run one after the other (one cluster of processes at a time).</summary>
    public const string Collection = "Three pitwall serve processes behind HAProxy";

    public const string FleetSecret = "pitwall-load-balancer-test-fleet";
    public const int FleetSize = 110;

    /// <summary>A registered car outside <see cref="TakeVins"/>'s fleet, with a client certificate from the cluster's vehicle CA.</summary>
    public static string CertificateCar => Vin(FleetSize);

    /// <summary>An instance silent this long is taken for dead (Pitwall:Cluster:InstanceTimeout).</summary>
    public static readonly TimeSpan InstanceTimeout = TimeSpan.FromSeconds(6);

    private readonly string _work = Directory.CreateTempSubdirectory("pitwall-cluster-").FullName;
    // Every process started, also those of a start-up that failed half-way: none may outlive the fixture.
    private readonly List<PitwallProcess> _started = [];
    private int _nextCar;

    public string ConnectionString { get; private set; } = "";

    /// <summary>The vehicle CA every instance shares (its https:// addresses' certificate, the cars' client certificates).</summary>
    public string CaDirectory => Path.Combine(_work, "vehicle-ca");

    /// <summary><see cref="CertificateCar"/>'s <c>.crt</c>/<c>.key</c> and the CA's <c>ca.crt</c>, as <c>pitwall admin vehicle-cert</c> wrote them.</summary>
    public string CarCertificates => Path.Combine(_work, "car-certificates");
    public TestNats Nats { get; private set; } = null!;
    public TestHaproxy Balancer { get; private set; } = null!;
    public ServeProcess A { get; private set; } = null!;
    public ServeProcess B { get; private set; } = null!;
    public ServeProcess C { get; private set; } = null!;

    public ServeProcess[] Instances => [A, B, C];

    /// <summary>HTTP through the load balancer.</summary>
    public HttpClient Client { get; private set; } = null!;

    public static string Vin(int index) => string.Create(CultureInfo.InvariantCulture, $"PWLBTST{index:D10}");

    public static byte[] Secret(string vin) => VehicleAuth.DeriveSecret(Encoding.UTF8.GetBytes(FleetSecret), vin);

    /// <summary>The next <paramref name="count"/> registered VINs no test used yet.</summary>
    public IReadOnlyList<string> TakeVins(int count)
    {
        var first = Interlocked.Add(ref _nextCar, count) - count;
        if (first + count > FleetSize)
        {
            throw new InvalidOperationException($"The fleet has {FleetSize} cars.");
        }
        return [.. Enumerable.Range(first, count).Select(Vin)];
    }

    public async Task InitializeAsync()
    {
        ConnectionString = await TestPostgres.CreateDatabaseAsync();
        Nats = await TestNats.StartAsync();
        var csv = Path.Combine(_work, "fleet.csv");
        await File.WriteAllTextAsync(csv, "vin,model,model_year\n" + string.Concat(Enumerable.Range(0, FleetSize + 1).Select(i => $"{Vin(i)},Taycan,2025\n")));
        // Migrates the database, then registers the fleet: the instances then start together and find nothing to migrate.
        // Each a .NET process of its own: generous on a busy two-core machine, as the instances' start below.
        var (exit, output) = await PitwallProcess.RunAsync(TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning" }, _work,
            "admin", "vehicle-import", "--file", csv, "--fleet-secret", FleetSecret, "--database", ConnectionString);
        Assert.True(exit == 0, output);
        // Creates the vehicle CA before the instances start (each would otherwise make its own) and a car's certificate.
        (exit, output) = await PitwallProcess.RunAsync(TimeSpan.FromMinutes(3),
            new Dictionary<string, string> { ["Logging__LogLevel__Default"] = "Warning", ["Pitwall__VehicleCa__Directory"] = CaDirectory }, _work,
            "admin", "vehicle-cert", "--vin", CertificateCar, "--out", CarCertificates, "--database", ConnectionString);
        Assert.True(exit == 0, output);
        var started = await Task.WhenAll(new[] { "A", "B", "C" }.Select(StartInstanceAsync));
        (A, B, C) = (started[0], started[1], started[2]);
        Balancer = await TestHaproxy.StartAsync([A.HostPort, B.HostPort, C.HostPort], [A.TlsHostPort, B.TlsHostPort, C.TlsHostPort]);
        Client = new HttpClient { BaseAddress = Balancer.Address };
    }

    private async Task<ServeProcess> StartInstanceAsync(string name)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_work, name)).FullName;
        var environment = new Dictionary<string, string>
        {
            ["Pitwall__Database__ConnectionString"] = ConnectionString,
            ["Pitwall__Cluster__NatsUrl"] = Nats.Url,
            ["Pitwall__Cluster__InstanceId"] = name,
            ["Pitwall__Cluster__InstanceHeartbeat"] = "00:00:01",
            ["Pitwall__Cluster__InstanceTimeout"] = InstanceTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Pitwall__Cluster__SweepInterval"] = "00:00:01",
            // Every test account and car reaches the instances from 127.0.0.1 (HAProxy's X-Forwarded-For says so too).
            ["Pitwall__Http__AuthRequestsPerMinute"] = "100000",
            ["Pitwall__Gateway__ChallengesPerMinute"] = "100000",
            ["Pitwall__Retention__Enabled"] = "false",
            ["Pitwall__Accounts__PasswordGrant"] = "true",
            // The client's address and scheme from HAProxy's X-Forwarded-* (from this address only: the shipped set-up).
            ["Pitwall__Http__TrustedProxies__0"] = "127.0.0.1",
            ["Pitwall__VehicleCa__Directory"] = CaDirectory,
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        var tlsPort = TestHaproxy.FreePort();
        var process = PitwallProcess.Start(directory, ["serve", "--urls", $"http://127.0.0.1:0;https://127.0.0.1:{tlsPort}"], environment);
        lock (_started)
        {
            _started.Add(process);
        }
        try
        {
            // Three .NET processes starting at once on a busy two-core machine: generous, as a deployment's start-up is.
            var address = new Uri(await process.ListeningAddressAsync(TimeSpan.FromMinutes(3)));
            var instance = new ServeProcess(name, process, address, $"127.0.0.1:{tlsPort}");
            using var http = new HttpClient { BaseAddress = address };
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (await (await http.GetAsync("/health/ready")).Content.ReadAsStringAsync() != "Healthy") // NATS connected
            {
                Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), $"{name} did not become healthy:\n{process.Output}");
                await Task.Delay(100);
            }
            return instance;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Registers an owner (through the load balancer) and signs in.</summary>
    public async Task<TestUser> NewOwnerAsync()
    {
        const string password = "correct horse battery";
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        (await Client.PostAsJsonAsync("/api/v1/auth/register", new { email, password, name = "Cluster Owner" })).EnsureSuccessStatusCode();
        var token = await Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = email, ["password"] = password,
        }));
        token.EnsureSuccessStatusCode();
        var tokens = (await token.Content.ReadFromJsonAsync<Tokens>())!;
        return new TestUser(email, password, tokens.AccessToken, tokens.RefreshToken);
    }

    /// <summary>The instance each car's presence record names (null: nobody holds it).</summary>
    public async Task<IReadOnlyDictionary<string, string?>> HoldersAsync(IReadOnlyCollection<string> vins)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT vin, session_instance FROM vehicle_link WHERE vin = ANY(@vins)", connection);
        command.Parameters.AddWithValue("vins", vins.ToArray());
        var holders = vins.ToDictionary(v => v, _ => (string?)null, StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            holders[reader.GetString(0)] = reader.IsDBNull(1) ? null : reader.GetString(1);
        }
        return holders;
    }

    /// <summary>The highest car seq the platform holds durably, per car (what it acked).</summary>
    public async Task<IReadOnlyDictionary<string, long>> DurableSeqsAsync(IReadOnlyCollection<string> vins)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT vin, last_car_seq FROM vehicle_car_marks WHERE vin = ANY(@vins)", connection);
        command.Parameters.AddWithValue("vins", vins.ToArray());
        var seqs = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            seqs[reader.GetString(0)] = reader.GetInt64(1);
        }
        return seqs;
    }

    public async Task DisposeAsync()
    {
        // What the processes printed stays for a look after a failure: $TMPDIR/pitwall-cluster-logs/<instance>.log.
        var logs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "pitwall-cluster-logs")).FullName;
        foreach (var instance in new[] { A, B, C }.Where(i => i is not null))
        {
            await File.WriteAllTextAsync(Path.Combine(logs, instance.Name + ".log"), instance.Process.Output);
        }
        if (Balancer is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(logs, "haproxy.log"), Balancer.Output);
        }
        Client?.Dispose();
        if (Balancer is not null)
        {
            await Balancer.DisposeAsync();
        }
        foreach (var process in _started)
        {
            await process.DisposeAsync();
        }
        if (Nats is not null)
        {
            await Nats.DisposeAsync();
        }
        if (ConnectionString.Length > 0)
        {
            await TestPostgres.DropDatabaseAsync(ConnectionString);
        }
        Directory.Delete(_work, recursive: true);
    }
}

[CollectionDefinition(ProcessCluster.Collection)]
public sealed class ProcessClusterCollection;

/// <summary>One <c>pitwall serve</c> process of a <see cref="ProcessCluster"/>.</summary>
public sealed class ServeProcess(string name, PitwallProcess process, Uri address, string tlsHostPort) : IAsyncDisposable
{
    public string Name { get; } = name;

    public Uri Address { get; } = address;

    public PitwallProcess Process { get; } = process;

    /// <summary>host:port, as HAProxy's server lines take it.</summary>
    public string HostPort => $"{Address.Host}:{Address.Port}";

    /// <summary>host:port of the instance's https:// address (cars with client certificates, through HAProxy's TLS passthrough).</summary>
    public string TlsHostPort { get; } = tlsHostPort;

    /// <summary>An HTTP client of this instance directly (not through the load balancer) for a signed-in user.</summary>
    public HttpClient ClientFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", user.AccessToken);
        return client;
    }

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
