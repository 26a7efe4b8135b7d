using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// A real nats-server (Debian's, found through PITWALL_TEST_NATS_SERVER, which <c>./test.sh</c> sets) on a free loopback
/// port, which a test may stop and start again on the same port. Without it the scale-out tests fail, never skip.
/// </summary>
public sealed class TestNats : IAsyncDisposable
{
    public const string EnvironmentVariable = "PITWALL_TEST_NATS_SERVER";
    private Process? _process;

    private TestNats(int port) => Port = port;

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public static async Task<TestNats> StartAsync()
    {
        var nats = new TestNats(FreePort());
        await nats.StartAgainAsync();
        return nats;
    }

    private static string Binary =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set. Run ./test.sh, which installs Debian's nats-server, or point {EnvironmentVariable} at a nats-server binary.");

    /// <summary>Starts the server (again) and returns once it accepts clients.</summary>
    public async Task StartAgainAsync()
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        DataReceivedEventHandler watch = (_, e) =>
        {
            if (e.Data?.Contains("Server is ready", StringComparison.Ordinal) == true)
            {
                ready.TrySetResult();
            }
        };
        process.ErrorDataReceived += watch;
        process.OutputDataReceived += watch;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("nats-server exited at start"));
        process.EnableRaisingEvents = true;
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Kills the server (as a crash would) and waits until it is gone.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill();
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
