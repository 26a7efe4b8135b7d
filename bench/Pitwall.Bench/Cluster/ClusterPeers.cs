using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace Pitwall.Bench.Cluster;

/// <summary>
/// Debian's PostgreSQL as an operator runs it (durable: fsync and synchronous commit on, the defaults), a cluster of its own
/// in the work directory, its postmaster a child of this benchmark (so its CPU counts as the platform's, not as other load).
/// </summary>
internal sealed class BenchPostgres : IDisposable
{
    private readonly ChildProcess _postmaster;

    private BenchPostgres(ChildProcess postmaster, string connectionString) => (_postmaster, ConnectionString) = (postmaster, connectionString);

    public string ConnectionString { get; }

    /// <summary>The postmaster (its backends are its children).</summary>
    public int Pid => _postmaster.Id;

    public static async Task<BenchPostgres> StartAsync(string workDirectory, int port)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(Directory.Exists).Order().LastOrDefault()
                  ?? throw new InvalidOperationException("PostgreSQL is not installed (Debian package postgresql).");
        var directory = Path.Combine(workDirectory, "postgres");
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
        Directory.CreateDirectory(directory);
        // PostgreSQL refuses to run as root: as root, run it as the postgres user (the package creates it).
        var root = Environment.UserName == "root";
        if (root)
        {
            await RunAsync("chown", ["postgres", directory]);
        }
        string[] As(string program, params string[] arguments) => root ? ["runuser", "-u", "postgres", "--", program, .. arguments] : [program, .. arguments];
        var initdb = As(Path.Combine(bin, "initdb"), "-D", Path.Combine(directory, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8");
        await RunAsync(initdb[0], initdb[1..]);
        var serve = As(Path.Combine(bin, "postgres"), "-D", Path.Combine(directory, "data"), "-p", port.ToString(CultureInfo.InvariantCulture), "-k", directory,
            "-c", "listen_addresses=127.0.0.1", "-c", "max_connections=400",
            // Where PostgreSQL's time goes, per statement (Debian's postgresql-15 ships the module).
            "-c", "shared_preload_libraries=pg_stat_statements", "-c", "pg_stat_statements.track=all");
        var postmaster = ChildProcess.Start(serve[0], serve[1..], new Dictionary<string, string>(), workDirectory, Path.Combine(workDirectory, "postgres.log"));
        var admin = $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=false";
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(admin);
                await connection.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE pitwall_bench", connection);
                await create.ExecuteNonQueryAsync();
                break;
            }
            catch (NpgsqlException) when (waited.Elapsed < TimeSpan.FromSeconds(60) && !postmaster.HasExited)
            {
                await Task.Delay(200);
            }
        }
        var postgres = new BenchPostgres(postmaster, $"Host=127.0.0.1;Port={port};Username=postgres;Database=pitwall_bench;Maximum Pool Size=50");
        await postgres.ExecuteAsync("CREATE EXTENSION pg_stat_statements");
        return postgres;
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private long _resetAtMs;
    private long _commitsAtReset;

    /// <summary>Forgets the statement statistics (before a measured run) and notes the time and the commits so far.</summary>
    public async Task ResetStatementsAsync()
    {
        await ExecuteAsync("SELECT pg_stat_statements_reset()");
        _resetAtMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _commitsAtReset = await CommitsAsync();
    }

    private async Task<long> CommitsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT pg_stat_clear_snapshot(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.NextResultAsync();
        await reader.ReadAsync();
        return reader.GetInt64(0);
    }

    /// <summary>
    /// Since the reset: the commands that ended (performed or failed), every statement's calls and execution time, and
    /// the commits of the benchmark's database — the statements and transactions a command costs PostgreSQL.
    /// </summary>
    public async Task<(long Commands, long Calls, double ExecutionMs, long Commits)> TotalsAsync()
    {
        // Statistics reach pg_stat_database when a backend goes idle (at most a second later).
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM vehicle_commands WHERE completed_at >= @since AND state IN ('performed', 'failed')),
                   (SELECT coalesce(sum(calls), 0)::bigint FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%'),
                   (SELECT coalesce(sum(total_exec_time), 0) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%')
            """, connection);
        command.Parameters.AddWithValue("since", _resetAtMs);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        var (commands, calls, ms) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetDouble(2));
        await reader.DisposeAsync();
        return (commands, calls, ms, await CommitsAsync() - _commitsAtReset);
    }

    /// <summary>The statements that took the most execution time since the reset: calls, total ms, ms per call, the text.</summary>
    public async Task<IReadOnlyList<string>> TopStatementsAsync(int count)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, left(regexp_replace(query, '\s+', ' ', 'g'), 150)
            FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT @count
            """, connection);
        command.Parameters.AddWithValue("count", count);
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (calls, total) = (reader.GetInt64(0), reader.GetDouble(1));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{calls,8} calls {total,10:F0} ms {total / Math.Max(1, calls),8:F3} ms/call  {reader.GetString(2)}"));
        }
        return lines;
    }

    private static async Task RunAsync(string program, string[] arguments)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} failed: {await output}{await error}");
        }
    }

    /// <summary>Ends the cluster: SIGKILL to runuser, the postmaster and its backends (the data is thrown away).</summary>
    public void Dispose()
    {
        try
        {
            using var process = Process.GetProcessById(Pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
        }
        _postmaster.Dispose();
    }
}

/// <summary>Debian's nats-server on a loopback port: the instances route what is addressed to a car through it.</summary>
internal sealed class BenchNats(ChildProcess process, int port) : IDisposable
{
    public string Url => $"nats://127.0.0.1:{port}";

    public int Pid => process.Id;

    public static async Task<BenchNats> StartAsync(string workDirectory, int port)
    {
        var process = ChildProcess.Start("/usr/sbin/nats-server", ["-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)],
            new Dictionary<string, string>(), workDirectory, Path.Combine(workDirectory, "nats-server.log"));
        await Ports.WaitListeningAsync(port, process);
        return new BenchNats(process, port);
    }

    public void Dispose() => process.Dispose();
}

/// <summary>
/// Debian's HAProxy with the shipped deploy/haproxy/pitwall.cfg, unchanged: the addresses come from the environment.
/// Its runtime API (the stats socket) sets an instance to <c>ready</c>, <c>drain</c> (no new connections) or <c>maint</c>.
/// </summary>
internal sealed class BenchHaproxy(ChildProcess process, string socket, int port) : IDisposable
{
    public Uri Address { get; } = new($"http://127.0.0.1:{port}");

    public int Pid => process.Id;

    public static async Task<BenchHaproxy> StartAsync(string workDirectory, int port, IReadOnlyList<string> instances)
    {
        var config = Path.Combine(Repository.Root(), "deploy", "haproxy", "pitwall.cfg");
        var socket = Path.Combine(workDirectory, "haproxy.sock");
        var environment = new Dictionary<string, string>
        {
            ["PITWALL_LISTEN"] = $"127.0.0.1:{port}", ["PITWALL_A"] = instances[0], ["PITWALL_B"] = instances[1], ["PITWALL_C"] = instances[2],
            ["PITWALL_HAPROXY_SOCKET"] = socket,
            // Every owner signs in from this one address.
            ["PITWALL_AUTH_PER_MINUTE"] = "100000",
            // The certificate cars' TLS passthrough frontend: these cars use the secret login, so nothing listens behind it
            // (its health checks fail quietly).
            ["PITWALL_CAR_LISTEN"] = $"127.0.0.1:{port + 10}",
            ["PITWALL_A_TLS"] = $"127.0.0.1:{port + 11}", ["PITWALL_B_TLS"] = $"127.0.0.1:{port + 12}", ["PITWALL_C_TLS"] = $"127.0.0.1:{port + 13}",
        };
        var process = ChildProcess.Start("/usr/sbin/haproxy", ["-db", "-f", config], environment, workDirectory, Path.Combine(workDirectory, "haproxy.log"));
        await Ports.WaitListeningAsync(port, process);
        return new BenchHaproxy(process, socket, port);
    }

    /// <summary><c>set server pitwall/{server} state {state}</c>; throws when HAProxy refuses.</summary>
    public async Task SetStateAsync(string server, string state)
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
        await using var stream = new NetworkStream(client, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"set server pitwall/{server} state {state}\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var answer = (await reader.ReadToEndAsync()).Trim();
        if (answer.Length > 0)
        {
            throw new InvalidOperationException($"haproxy refused 'set server pitwall/{server} state {state}': {answer}");
        }
    }

    public void Dispose() => process.Dispose();
}

internal static class Ports
{
    public static async Task WaitListeningAsync(int port, ChildProcess process)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{process.LogPath}:{Environment.NewLine}{process.Tail()}");
            }
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(100);
            }
        }
    }
}

internal static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pitwall.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException("Run the benchmark from a build inside the repository (deploy/haproxy/pitwall.cfg is read from there).");
    }
}
