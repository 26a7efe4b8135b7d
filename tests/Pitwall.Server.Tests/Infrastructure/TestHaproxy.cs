using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Debian's HAProxy (found through PITWALL_TEST_HAPROXY, which <c>./test.sh</c> sets) running the shipped
/// <c>deploy/haproxy/pitwall.cfg</c> unchanged, in front of three instances, on a free loopback port. Without it the
/// load-balancer tests fail, never skip.
/// </summary>
public sealed class TestHaproxy : IAsyncDisposable
{
    public const string EnvironmentVariable = "PITWALL_TEST_HAPROXY";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private TestHaproxy(Process process, string directory, Uri address, Uri carAddress)
    {
        _process = process;
        _directory = directory;
        Address = address;
        CarAddress = carAddress;
    }

    /// <summary>Where cars and clients reach the platform.</summary>
    public Uri Address { get; }

    /// <summary>Where cars with client certificates connect: TLS passed through to the instances' https:// addresses.</summary>
    public Uri CarAddress { get; }

    private string Socket => Path.Combine(_directory, "admin.sock");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private static string Binary =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh, which installs Debian's haproxy, or point {EnvironmentVariable} at a haproxy binary.");

    public static string ConfigFile => Path.Combine(PortalBrowser.RepositoryRoot(), "deploy", "haproxy", "pitwall.cfg");

    /// <summary>Starts HAProxy in front of the three instances (host:port each, plain and https) and returns once it answers for them.</summary>
    /// <param name="signInsPerMinute">PITWALL_AUTH_PER_MINUTE: the tests' accounts all sign in from 127.0.0.1, so many by default.</param>
    public static async Task<TestHaproxy> StartAsync(IReadOnlyList<string> instances, IReadOnlyList<string> tlsInstances, int signInsPerMinute = 100_000)
    {
        var directory = Directory.CreateTempSubdirectory("pitwall-haproxy-").FullName;
        var port = FreePort();
        var carPort = FreePort();
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-db", "-f", ConfigFile })
        {
            start.ArgumentList.Add(arg); // -db: in the foreground, as a child of the test
        }
        start.Environment["PITWALL_LISTEN"] = $"127.0.0.1:{port}";
        start.Environment["PITWALL_AUTH_PER_MINUTE"] = signInsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PITWALL_CAR_LISTEN"] = $"127.0.0.1:{carPort}";
        foreach (var (name, i) in new[] { ("A", 0), ("B", 1), ("C", 2) })
        {
            start.Environment[$"PITWALL_{name}"] = instances[i];
            start.Environment[$"PITWALL_{name}_TLS"] = tlsInstances[i];
        }
        start.Environment["PITWALL_HAPROXY_SOCKET"] = Path.Combine(directory, "admin.sock");
        var process = new Process { StartInfo = start };
        var haproxy = new TestHaproxy(process, directory, new Uri($"http://127.0.0.1:{port}"), new Uri($"https://127.0.0.1:{carPort}"));
        process.OutputDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => haproxy.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = haproxy.Address, Timeout = TimeSpan.FromSeconds(5) };
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("haproxy exited at start:\n" + haproxy.Output);
                }
                try
                {
                    if ((await http.GetAsync("/health/live")).IsSuccessStatusCode)
                    {
                        return haproxy;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("haproxy did not answer for the instances:\n" + haproxy.Output);
                }
                await Task.Delay(100);
            }
        }
        catch
        {
            await haproxy.DisposeAsync();
            throw;
        }
    }

    /// <summary>One command of HAProxy's runtime API (the stats socket), e.g. <c>set server pitwall/b state maint</c>; its answer.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var socket = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\n"));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        return await reader.ReadToEndAsync(); // HAProxy closes the connection after a single command
    }

    /// <summary>Sets a server of the <c>pitwall</c> backend to <c>ready</c>, <c>drain</c> or <c>maint</c>.</summary>
    public async Task SetStateAsync(string server, string state)
    {
        var answer = await CommandAsync($"set server pitwall/{server} state {state}");
        if (answer.Trim().Length > 0)
        {
            throw new InvalidOperationException($"haproxy refused 'set server pitwall/{server} state {state}': {answer}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
