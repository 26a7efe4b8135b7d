using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Pitwall.Bench.Cluster;

/// <summary>
/// Issue 19 as an operator deploys it, on this machine: one PostgreSQL, one nats-server, three <c>pitwall serve</c>
/// processes (A, B, C; the Release binary, server GC as shipped) and HAProxy with the shipped configuration in front. The
/// fleet is registered with <c>pitwall admin vehicle-import</c> before the instances start. Which instances take new
/// connections is set through HAProxy's runtime API, as an operator drains an instance.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    public static readonly string[] Names = ["a", "b", "c"];
    private readonly List<IDisposable> _owned = [];

    private BenchCluster()
    {
    }

    public BenchPostgres Postgres { get; private set; } = null!;
    public BenchNats Nats { get; private set; } = null!;
    public BenchHaproxy Balancer { get; private set; } = null!;
    public ChildProcess[] Instances { get; private set; } = [];

    /// <summary>A label for files of the current set-up ("one", "three").</summary>
    public string Phase { get; set; } = "one";

    /// <summary>The processes whose CPU is the platform's: the three instances, HAProxy, nats-server, PostgreSQL (with its backends).</summary>
    public int[] Pids => [.. Instances.Select(i => i.Id), Balancer.Pid, Nats.Pid, Postgres.Pid];

    public static readonly string[] PidNames = ["pitwall a", "pitwall b", "pitwall c", "haproxy", "nats-server", "postgres"];

    /// <summary>Starts everything on ports from <paramref name="firstPort"/> on, with <paramref name="cars"/> registered cars.</summary>
    public static async Task<BenchCluster> StartAsync(
        string serverDll, string workDirectory, int firstPort, int cars, string fleetSecret, IReadOnlyDictionary<string, string> serverEnvironment)
    {
        Directory.CreateDirectory(workDirectory);
        var cluster = new BenchCluster();
        try
        {
            var started = Stopwatch.StartNew();
            cluster.Postgres = Own(cluster, await BenchPostgres.StartAsync(workDirectory, firstPort));
            var csv = Path.Combine(workDirectory, "fleet.csv");
            Fleet.WriteCsv(csv, cars);
            using (var import = ChildProcess.Start(ChildProcess.DotnetHost(),
                       [serverDll, "admin", "vehicle-import", "--file", csv, "--fleet-secret", fleetSecret, "--database", cluster.Postgres.ConnectionString],
                       PitwallServer.BenchmarkEnvironment(), workDirectory, Path.Combine(workDirectory, "vehicle-import.log")))
            {
                if (!await import.WaitForExitAsync(TimeSpan.FromMinutes(20)) || !import.Tail(5).Contains($"imported {cars},", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"vehicle-import failed:{Environment.NewLine}{import.Tail(5)}");
                }
            }
            Console.WriteLine($"  PostgreSQL (durable defaults) with {cars} registered cars in {started.Elapsed.TotalSeconds:F0} s");
            cluster.Nats = Own(cluster, await BenchNats.StartAsync(workDirectory, firstPort + 1));
            var ports = Names.Select((_, i) => firstPort + 3 + i).ToArray();
            cluster.Instances = await Task.WhenAll(Names.Select((name, i) => StartInstanceAsync(cluster, serverDll, workDirectory, name, ports[i], serverEnvironment)));
            cluster.Balancer = Own(cluster, await BenchHaproxy.StartAsync(workDirectory, firstPort + 2,
                [.. ports.Select(p => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{p}"))]));
            Console.WriteLine($"  nats-server, three instances (pids {string.Join(", ", cluster.Instances.Select(i => i.Id))}) and HAProxy up after {started.Elapsed.TotalSeconds:F0} s");
            return cluster;
        }
        catch
        {
            cluster.Dispose();
            throw;
        }
    }

    private static T Own<T>(BenchCluster cluster, T disposable) where T : IDisposable
    {
        lock (cluster._owned)
        {
            cluster._owned.Add(disposable);
        }
        return disposable;
    }

    private static async Task<ChildProcess> StartInstanceAsync(
        BenchCluster cluster, string serverDll, string workDirectory, string name, int port, IReadOnlyDictionary<string, string> serverEnvironment)
    {
        var environment = PitwallServer.BenchmarkEnvironment();
        environment["Pitwall__Cluster__NatsUrl"] = cluster.Nats.Url;
        environment["Pitwall__Cluster__InstanceId"] = name;
        // Every owner signs in from this one address: the per-address limit of /api/v1/auth is meant for people.
        environment["Pitwall__Http__AuthRequestsPerMinute"] = "100000";
        // As the operator guide sets it behind HAProxy: its X-Forwarded-For and -Proto are believed.
        environment["Pitwall__Http__TrustedProxies__0"] = "127.0.0.1";
        foreach (var (key, value) in serverEnvironment)
        {
            environment[key] = value;
        }
        var directory = Directory.CreateDirectory(Path.Combine(workDirectory, name)).FullName;
        var instance = Own(cluster, ChildProcess.Start(ChildProcess.DotnetHost(),
            [serverDll, "serve", "--urls", string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}"), "--database", cluster.Postgres.ConnectionString],
            environment, directory, Path.Combine(workDirectory, $"pitwall-{name}.log")));
        await instance.WaitHealthyAsync(new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/health/ready")), TimeSpan.FromMinutes(3));
        return instance;
    }

    /// <summary>Only <paramref name="ready"/> take new connections through the balancer; the others keep theirs (drain).</summary>
    public async Task RouteNewConnectionsToAsync(params string[] ready)
    {
        foreach (var name in Names)
        {
            await Balancer.SetStateAsync(name, ready.Contains(name) ? "ready" : "drain");
        }
    }

    /// <summary>How many of <paramref name="vins"/> each instance holds (the presence records).</summary>
    public async Task<IReadOnlyDictionary<string, int>> HoldersAsync(IReadOnlyCollection<string> vins)
    {
        await using var connection = new NpgsqlConnection(Postgres.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT coalesce(session_instance, '(none)'), count(*) FROM vehicle_link WHERE vin = ANY(@vins) GROUP BY 1 ORDER BY 1", connection);
        command.Parameters.AddWithValue("vins", vins.ToArray());
        var holders = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            holders[reader.GetString(0)] = (int)reader.GetInt64(1);
        }
        return holders;
    }

    public void Dispose()
    {
        lock (_owned)
        {
            for (var i = _owned.Count - 1; i >= 0; i--)
            {
                _owned[i].Dispose();
            }
            _owned.Clear();
        }
    }
}
