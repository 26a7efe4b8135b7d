using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>Python peers of the channel tests: Debian's python3 (where python3-aiosmtpd installs) and the scripts beside this file.</summary>
internal static class Python
{
    /// <summary><c>PITWALL_TEST_PYTHON</c> (test.sh sets it), else Debian's interpreter, else whatever <c>python3</c> is.</summary>
    public static string Interpreter =>
        Environment.GetEnvironmentVariable("PITWALL_TEST_PYTHON") is { Length: > 0 } configured ? configured
        : File.Exists("/usr/bin/python3") ? "/usr/bin/python3"
        : "python3";

    public static string Script(string name)
    {
        var path = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../Features/Notifications/Channels", name));
        Assert.True(File.Exists(path), path);
        return path;
    }

    public static Process Start(string script, params string[] arguments)
    {
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Script(script));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        return Process.Start(start) ?? throw new InvalidOperationException($"{Interpreter} did not start");
    }

    /// <summary>Runs a script to its end with <paramref name="input"/> as JSON on standard input; returns its output line.</summary>
    public static async Task<string> RunAsync(string script, object input)
    {
        using var process = Start(script);
        await process.StandardInput.WriteAsync(JsonSerializer.Serialize(input));
        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"{script} failed: {error}");
        return output.Trim();
    }
}

/// <summary>A real SMTP server (aiosmtpd) on loopback that records what it receives. Fails the test when aiosmtpd is missing.</summary>
public sealed class SmtpPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _received = Channel.CreateUnbounded<JsonElement>();

    private SmtpPeer(Process process, int port)
    {
        _process = process;
        Port = port;
        _ = PumpAsync();
    }

    public int Port { get; }

    /// <summary>Starts the peer; <paramref name="arguments"/> as smtp_peer.py takes them (TLS, required login).</summary>
    public static async Task<SmtpPeer> StartAsync(params string[] arguments)
    {
        var process = Python.Start("smtp_peer.py", arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var first = await process.StandardOutput.ReadLineAsync(timeout.Token);
        if (first is null)
        {
            var error = await process.StandardError.ReadToEndAsync(timeout.Token);
            process.Dispose();
            Assert.Fail($"The SMTP peer did not start ({Python.Interpreter}); it needs Debian's python3-aiosmtpd " +
                $"(apt-get install python3-aiosmtpd, or scripts/test-services.sh ensure_aiosmtpd): {error}");
        }
        return new SmtpPeer(process, JsonDocument.Parse(first).RootElement.GetProperty("port").GetInt32());
    }

    /// <summary>The next message the peer accepted: <c>from</c>, <c>to</c> and the raw <c>data</c>.</summary>
    public async Task<JsonElement> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await _received.Reader.ReadAsync(timeout.Token);
    }

    public bool TryNext(out JsonElement message) => _received.Reader.TryRead(out message);

    private async Task PumpAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            _received.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
        }
        _received.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }
        _process.Dispose();
    }
}
