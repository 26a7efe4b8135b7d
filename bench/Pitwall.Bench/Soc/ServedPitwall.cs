namespace Pitwall.Bench.Soc;

/// <summary>
/// Pitwall serving a link benchmark (SOC, breakdown call): <c>pitwall serve</c> started on a prepared database with every owner's
/// sign-in allowed from this one address, and the clients the benchmark talks to it with — one pooled HTTP client for the API and
/// the cars' challenges, its handler as the cars' WebSocket invoker, and one client for long-lived event streams.
/// </summary>
internal sealed class ServedPitwall : IDisposable
{
    private readonly SocketsHttpHandler _handler = new() { MaxConnectionsPerServer = 64, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2) };

    private ServedPitwall(ChildProcess process, int port)
    {
        Process = process;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        Http = new HttpClient(_handler, disposeHandler: false) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
        Invoker = new HttpMessageInvoker(_handler, disposeHandler: false);
        StreamHttp = new HttpClient { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public ChildProcess Process { get; }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public HttpMessageInvoker Invoker { get; }

    public HttpClient StreamHttp { get; }

    public static async Task<ServedPitwall> StartAsync(PitwallServer server, int port, string database, string logName, IReadOnlyDictionary<string, string> serverEnvironment)
    {
        var environment = new Dictionary<string, string>(serverEnvironment, StringComparer.Ordinal);
        environment.TryAdd("Pitwall__Http__AuthRequestsPerMinute", "100000"); // every owner signs in from this one address
        var process = await server.StartAsync(port, database, logName, environment);
        Console.WriteLine($"  server pid {process.Id} (pitwall serve); log: {process.LogPath}");
        return new ServedPitwall(process, port);
    }

    public void Dispose()
    {
        StreamHttp.Dispose();
        Invoker.Dispose();
        Http.Dispose();
        _handler.Dispose();
        Process.Dispose();
    }
}
