using System.Text.RegularExpressions;

namespace Pitwall.Bench.Artifacts;

/// <summary>Debian's nginx (the project's scripts install it) on loopback, two workers (the machine's cores), sendfile, no access
/// log: as a static file server (the reference of the artifact benchmark), or with the shipped deploy/nginx/pitwall-updates.conf
/// in front of Pitwall (the production set-up of artifact downloads).</summary>
internal sealed partial class NginxServer : IDisposable
{
    private readonly string _nginx;
    private readonly string _prefix;
    private readonly string _config;
    private readonly ChildProcess _master;

    private NginxServer(string nginx, string prefix, string config, ChildProcess master) => (_nginx, _prefix, _config, _master) = (nginx, prefix, config, master);

    public Task WaitHealthyAsync(Uri url, TimeSpan timeout) => _master.WaitHealthyAsync(url, timeout);

    /// <summary>The master's process id (its workers are its children).</summary>
    public int Id => _master.Id;

    /// <summary>Stops the master and its workers (<c>nginx -s stop</c>; killing the master alone would leave the workers).</summary>
    public void Dispose()
    {
        using (var stop = ChildProcess.Start(_nginx, ["-p", _prefix, "-c", _config, "-e", Path.Combine(_prefix, "logs", "error.log"), "-s", "stop"],
            new Dictionary<string, string>(), _prefix, Path.Combine(_prefix, "logs", "stop.log")))
        {
            stop.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        }
        _master.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        _master.Dispose();
    }

    /// <summary>nginx serving <paramref name="root"/> as static files.</summary>
    public static NginxServer StartStatic(string nginx, string work, string root, int port) => Start(nginx, Path.Combine(work, "nginx"), $$"""
        server {
            listen 127.0.0.1:{{port}};
            root {{root}};
            location = /health { return 200 "ok"; }
        }
        """);

    /// <summary>nginx with the shipped deploy/nginx/pitwall-updates.conf (its <c>${…}</c> values filled in as envsubst does) in front
    /// of Pitwall at <paramref name="upstream"/>, serving the artifacts of <paramref name="artifacts"/> after Pitwall's redirect.</summary>
    public static NginxServer StartFront(string nginx, string work, string upstream, string artifacts, int port)
    {
        var template = File.ReadAllText(ShippedConfig());
        var values = new Dictionary<string, string>
        {
            ["PITWALL_NGINX_LISTEN"] = $"127.0.0.1:{port}",
            ["PITWALL_UPSTREAM"] = upstream,
            ["PITWALL_ARTIFACTS"] = Path.GetFullPath(artifacts).TrimEnd('/'),
        };
        return Start(nginx, Path.Combine(work, "nginx-front"),
            Placeholder().Replace(template, m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"No value for {m.Value}.")));
    }

    [GeneratedRegex(@"\$\{([A-Z_]+)\}")]
    private static partial Regex Placeholder();

    /// <summary>deploy/nginx/pitwall-updates.conf of the repository this benchmark runs in.</summary>
    private static string ShippedConfig()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var file = Path.Combine(directory.FullName, "deploy", "nginx", "pitwall-updates.conf");
                if (File.Exists(file))
                {
                    return file;
                }
            }
        }
        throw new FileNotFoundException("deploy/nginx/pitwall-updates.conf not found above the working directory or the benchmark.");
    }

    private static NginxServer Start(string nginx, string prefix, string servers)
    {
        if (!File.Exists(nginx))
        {
            throw new FileNotFoundException($"{nginx} is missing: install Debian's nginx (bench/run.sh artifacts does it as root).");
        }
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        var config = Path.Combine(prefix, "nginx.conf");
        // As root the workers would run as nobody, who may not read the benchmark's directories.
        File.WriteAllText(config, $$"""
            {{(Environment.UserName == "root" ? "user root;" : "")}}
            daemon off;
            master_process on;
            worker_processes {{Environment.ProcessorCount}};
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 4096; }
            http {
                access_log off;
                sendfile on;
                tcp_nopush on;
                keepalive_requests 100000;
                client_body_temp_path {{prefix}}/tmp;
                proxy_temp_path {{prefix}}/tmp;
                fastcgi_temp_path {{prefix}}/tmp;
                uwsgi_temp_path {{prefix}}/tmp;
                scgi_temp_path {{prefix}}/tmp;
            {{servers}}
            }
            """);
        var master = ChildProcess.Start(nginx, ["-p", prefix, "-c", config, "-e", Path.Combine(prefix, "logs", "error.log")], new Dictionary<string, string>(), prefix,
            Path.Combine(prefix, "logs", "stdout.log"));
        return new NginxServer(nginx, prefix, config, master);
    }
}
