using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>
/// Debian's nginx (PITWALL_TEST_NGINX, which <c>./test.sh</c> sets, else /usr/sbin/nginx) running the shipped
/// <c>deploy/nginx/pitwall-updates.conf</c> in front of one instance, on a free loopback port. The file's three
/// <c>${…}</c> values are filled in as <c>envsubst</c> does for an operator; the rest of the file is used unchanged, inside a
/// minimal main configuration (as Debian's nginx.conf includes conf.d). Without nginx the tests fail, never skip.
/// </summary>
public sealed partial class TestNginx : IAsyncDisposable
{
    public const string EnvironmentVariable = "PITWALL_TEST_NGINX";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _directory;

    private TestNginx(Process process, string directory, Uri address) => (_process, _directory, Address) = (process, directory, address);

    /// <summary>Where update clients reach Pitwall through nginx.</summary>
    public Uri Address { get; }

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

    public static string ConfigFile => Path.Combine(PortalBrowser.RepositoryRoot(), "deploy", "nginx", "pitwall-updates.conf");

    private static string Binary
    {
        get
        {
            var binary = Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } value ? value : "/usr/sbin/nginx";
            return File.Exists(binary)
                ? binary
                : throw new InvalidOperationException($"nginx is not installed at {binary}: run ./test.sh as root (it installs Debian's nginx) or set {EnvironmentVariable}.");
        }
    }

    /// <summary>The shipped file with its <c>${NAME}</c> values filled in; every one must be given.</summary>
    public static string Render(string template, IReadOnlyDictionary<string, string> values)
    {
        var rendered = Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v)
            ? v
            : throw new InvalidOperationException($"No value for ${{{m.Groups[1].Value}}}."));
        return rendered;
    }

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>Starts nginx in front of <paramref name="upstream"/> (host:port) serving <paramref name="artifacts"/>, and returns
    /// once it answers for the instance.</summary>
    public static async Task<TestNginx> StartAsync(string upstream, string artifacts)
    {
        var directory = Directory.CreateTempSubdirectory("pitwall-nginx-").FullName;
        var port = TestHaproxy.FreePort();
        var site = Path.Combine(directory, "pitwall-updates.conf");
        await File.WriteAllTextAsync(site, Render(await File.ReadAllTextAsync(ConfigFile), new Dictionary<string, string>
        {
            ["PITWALL_NGINX_LISTEN"] = $"127.0.0.1:{port}",
            ["PITWALL_UPSTREAM"] = upstream,
            ["PITWALL_ARTIFACTS"] = Path.GetFullPath(artifacts).TrimEnd('/'),
        }));
        var main = Path.Combine(directory, "nginx.conf");
        // As root (CI), the workers would run as nobody, who cannot read the tests' private temporary directories.
        await File.WriteAllTextAsync(main, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            daemon off;
            worker_processes 1;
            pid {{directory}}/nginx.pid;
            error_log stderr notice;
            events { worker_connections 512; }
            http {
                access_log off;
                client_body_temp_path {{directory}}/body;
                proxy_temp_path {{directory}}/proxy;
                fastcgi_temp_path {{directory}}/fastcgi;
                uwsgi_temp_path {{directory}}/uwsgi;
                scgi_temp_path {{directory}}/scgi;
                include {{site}};
            }
            """);
        var start = new ProcessStartInfo(Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", directory, "-c", main, "-e", "stderr" })
        {
            start.ArgumentList.Add(arg);
        }
        var process = new Process { StartInfo = start };
        var nginx = new TestNginx(process, directory, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => nginx.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => nginx.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            using var http = new HttpClient { BaseAddress = nginx.Address, Timeout = TimeSpan.FromSeconds(20) };
            var waited = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException("nginx exited at start:\n" + nginx.Output);
                }
                try
                {
                    if ((await http.GetAsync("/health/live")).IsSuccessStatusCode)
                    {
                        return nginx;
                    }
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                if (waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    throw new TimeoutException("nginx did not answer for the instance:\n" + nginx.Output);
                }
                await Task.Delay(100);
            }
        }
        catch
        {
            await nginx.DisposeAsync();
            throw;
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

    /// <summary>Stops the master and its workers (this test's process tree only).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
