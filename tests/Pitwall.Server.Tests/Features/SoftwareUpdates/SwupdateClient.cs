using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// Debian's <c>swupdate</c> (2022.12) running as a hawkBit DDI client (suricatta) against the test server. Each run gets its own
/// <c>TMPDIR</c>, where swupdate puts its IPC sockets and its download scratch. Disposing kills the process tree this test
/// started (by its process object, nothing else). The test fails, not skips, when swupdate is missing: <c>test.sh</c> installs
/// it as root.
/// </summary>
internal sealed class SwupdateClient : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _temporary;
    private readonly ConcurrentQueue<string> _log = new();

    private SwupdateClient(Process process, DirectoryInfo temporary)
    {
        _process = process;
        _temporary = temporary;
    }

    /// <summary><c>PITWALL_TEST_SWUPDATE</c> (test.sh sets it), else Debian's binary.</summary>
    public static string Executable =>
        Environment.GetEnvironmentVariable("PITWALL_TEST_SWUPDATE") is { Length: > 0 } configured ? configured : "/usr/bin/swupdate";

    /// <summary>The last lines swupdate printed, for a failing assertion's message.</summary>
    public string Log => string.Join('\n', _log.TakeLast(60));

    public bool HasExited => _process.HasExited;

    /// <param name="confirm">suricatta's <c>-c</c>: the state to report on start (2 success, 3 failure), as after a reboot.</param>
    public static SwupdateClient Start(Uri server, string controllerId, string token, string certificate, int? confirm = null)
    {
        Assert.True(File.Exists(Executable),
            $"Debian's swupdate is not installed at {Executable}: run ./test.sh as root (it installs the package swupdate) or set PITWALL_TEST_SWUPDATE.");
        var temporary = Directory.CreateTempSubdirectory("pitwall-swupdate-");
        var suricatta = $"-t DEFAULT -u {server.GetLeftPart(UriPartial.Authority)} -i {controllerId} -k {token}" + (confirm is { } c ? $" -c {c}" : "");
        var start = new ProcessStartInfo(Executable) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-v", "-H", $"{SwuImages.Board}:{SwuImages.Revision}", "-k", certificate, "-u", suricatta })
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["TMPDIR"] = temporary.FullName;
        var process = Process.Start(start) ?? throw new InvalidOperationException("swupdate did not start");
        var client = new SwupdateClient(process, temporary);
        process.OutputDataReceived += (_, e) => client.Record(e.Data);
        process.ErrorDataReceived += (_, e) => client.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return client;
    }

    private void Record(string? line)
    {
        if (line is not null)
        {
            _log.Enqueue(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
        _temporary.Delete(recursive: true);
    }
}
