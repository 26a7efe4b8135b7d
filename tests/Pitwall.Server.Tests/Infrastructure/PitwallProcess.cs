using System.Diagnostics;
using System.Text;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>Runs the real <c>pitwall</c> binary as its own process, the way an operator does.</summary>
public sealed class PitwallProcess : IAsyncDisposable
{
    private readonly Process _process;
    private int _disposed;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PitwallProcess(string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "pitwall.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment.Remove("PITWALL_DATABASE");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => OnLine(e.Data);
        _process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

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

    /// <summary>Kills the process at once, as <c>kill -9</c> does (SIGKILL: no shutdown, no logout, no goodbye to NATS).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public bool HasExited => _process.HasExited;

    public static PitwallProcess Start(string workingDirectory, IEnumerable<string> args, IDictionary<string, string>? environment = null) =>
        new(workingDirectory, args, environment);

    /// <summary>Runs a command to its end; returns the exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string workingDirectory, params string[] args)
    {
        await using var process = Start(workingDirectory, args);
        return (await process.WaitForExitAsync(), process.Output);
    }

    public static Task<(int ExitCode, string Output)> RunAsync(IDictionary<string, string> environment, string workingDirectory, params string[] args) =>
        RunAsync(TimeSpan.FromSeconds(60), environment, workingDirectory, args);

    /// <param name="patience">How long the command may take (a process's start-up on a busy machine takes its share).</param>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        TimeSpan patience, IDictionary<string, string> environment, string workingDirectory, params string[] args)
    {
        await using var process = Start(workingDirectory, args, environment);
        return (await process.WaitForExitAsync(patience), process.Output);
    }

    public Task<int> WaitForExitAsync() => WaitForExitAsync(TimeSpan.FromSeconds(60));

    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        _process.WaitForExit(); // drains the output readers
        return _process.ExitCode;
    }

    /// <summary>The address Kestrel reports once it listens.</summary>
    public Task<string> ListeningAddressAsync() => ListeningAddressAsync(TimeSpan.FromSeconds(60));

    public Task<string> ListeningAddressAsync(TimeSpan patience) => _listening.Task.WaitAsync(patience);

    private void OnLine(string? line)
    {
        if (line is null)
        {
            _listening.TrySetException(new InvalidOperationException("pitwall exited before listening:\n" + Output));
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0 && line.AsSpan(at + marker.Length).StartsWith("http://", StringComparison.Ordinal)) // the plain address, not an https:// one
        {
            var address = line[(at + marker.Length)..];
            _listening.TrySetResult(address[..address.IndexOf('"', StringComparison.Ordinal)]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return; // disposed already (a fixture disposes every process it started, also one it gave up on)
        }
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
