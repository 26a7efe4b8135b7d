using Microsoft.Data.Sqlite;

namespace Pitwall.Bench;

/// <summary>Runs the real Pitwall server binary (<c>pitwall.dll</c>): database preparation, serve, and its settings.</summary>
internal sealed class PitwallServer(string serverDll, string workDirectory)
{
    public string ServerDll { get; } = serverDll;

    /// <summary>src/Pitwall.Server/bin/Release/net10.0/pitwall.dll of the repository this benchmark was built in.</summary>
    public static string DefaultDll()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pitwall.slnx")))
            {
                return Path.Combine(directory.FullName, "src", "Pitwall.Server", "bin", "Release", "net10.0", "pitwall.dll");
            }
        }
        return "pitwall.dll";
    }

    /// <summary>
    /// Settings the benchmark needs: rate limits meant for real cars raised so that a few hundred simulated cars may
    /// send tens of thousands of reports per second, retention off, logs at warning. Everything else is the default
    /// (ingest queue 20 000, batch 4 000, keep-alive 30 s).
    /// </summary>
    public static Dictionary<string, string> BenchmarkEnvironment() => new()
    {
        ["Pitwall__Gateway__ChallengesPerMinute"] = "10000000",
        ["Pitwall__Gateway__MessagesPerSecond"] = "1000000",
        ["Pitwall__Gateway__MessageBurst"] = "1000000",
        ["Pitwall__Retention__Enabled"] = "false",
        // Owners, operators and administrators sign in with the password grant, off by default (RFC 9700).
        ["Pitwall__Accounts__PasswordGrant"] = "true",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>A migrated database holding <paramref name="vehicles"/> registered cars, made by <c>pitwall admin vehicle-import</c>.</summary>
    public async Task<string> CreateTemplateAsync(string name, int vehicles, string fleetSecret)
    {
        var csv = Path.Combine(workDirectory, $"{name}.csv");
        var database = Path.Combine(workDirectory, $"{name}.db");
        DeleteDatabase(database);
        Fleet.WriteCsv(csv, vehicles);
        using var import = ChildProcess.Start(
            ChildProcess.DotnetHost(),
            [ServerDll, "admin", "vehicle-import", "--file", csv, "--fleet-secret", fleetSecret, "--database", $"Data Source={database}"],
            BenchmarkEnvironment(), workDirectory, Path.Combine(workDirectory, $"{name}-import.log"));
        if (!await import.WaitForExitAsync(TimeSpan.FromMinutes(20)))
        {
            throw new TimeoutException($"vehicle-import did not finish; see {import.LogPath}.");
        }
        var tail = import.Tail(5);
        if (!tail.Contains($"imported {vehicles},", StringComparison.Ordinal) && !tail.Contains($"already registered {vehicles},", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"vehicle-import failed:{Environment.NewLine}{tail}");
        }
        Checkpoint(database);
        return database;
    }

    /// <summary>A fresh copy of a template database (the WAL is checkpointed into the template first).</summary>
    public static void CopyDatabase(string template, string destination)
    {
        DeleteDatabase(destination);
        File.Copy(template, destination);
    }

    public static void DeleteDatabase(string path)
    {
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
        {
            File.Delete(path + suffix);
        }
    }

    /// <summary>
    /// Starts the server on loopback and waits until /health/live answers: <c>pitwall serve</c> itself, or (instrumented)
    /// this benchmark's <c>serve-instrumented</c>, the same composition with batch counters (see <see cref="InstrumentedServer"/>).
    /// Either way a process of its own, with server GC like pitwall.
    /// </summary>
    public async Task<ChildProcess> StartAsync(
        int port, string database, string logName, IReadOnlyDictionary<string, string>? extraEnvironment = null, bool instrumented = false, Action<string>? onLine = null,
        bool keepStdinOpen = false)
    {
        var environment = BenchmarkEnvironment();
        foreach (var (key, value) in extraEnvironment ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        string fileName;
        List<string> arguments;
        if (instrumented)
        {
            (fileName, var prefix) = ChildProcess.Self();
            arguments = [.. prefix, "serve-instrumented", "--urls", $"http://127.0.0.1:{port}", "--database", database];
            // This host runs with the benchmark's runtimeconfig: give it what pitwall.runtimeconfig.json sets for the server
            // (server GC, no dynamic PGO, no thread-pool spinning), so that it measures the runtime `pitwall serve` has.
            environment.TryAdd("DOTNET_gcServer", "1");
            environment.TryAdd("DOTNET_TieredPGO", "0");
            environment.TryAdd("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit", "0");
        }
        else
        {
            fileName = ChildProcess.DotnetHost();
            arguments = [ServerDll, "serve", "--urls", $"http://127.0.0.1:{port}", "--database", $"Data Source={database}"];
        }
        var server = ChildProcess.Start(fileName, arguments, environment, workDirectory, Path.Combine(workDirectory, $"{logName}.log"), onLine, keepStdinOpen || instrumented);
        try
        {
            await server.WaitHealthyAsync(new Uri($"http://127.0.0.1:{port}/health/live"), TimeSpan.FromSeconds(60));
        }
        catch
        {
            server.Dispose();
            throw;
        }
        return server;
    }

    public static void Checkpoint(string database)
    {
        SQLitePCL.Batteries_V2.Init();
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
        }
        File.Delete(database + "-wal");
        File.Delete(database + "-shm");
    }
}
