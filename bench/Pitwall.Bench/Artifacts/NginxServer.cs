namespace Pitwall.Bench.Artifacts;

/// <summary>Debian's nginx (the project's scripts install it), serving a directory on loopback as a static file server with
/// sendfile, two workers (the machine's cores) and no access log: the reference for the artifact benchmark.</summary>
internal sealed class NginxServer : IDisposable
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

    public static NginxServer Start(string nginx, string work, string root, int port)
    {
        if (!File.Exists(nginx))
        {
            throw new FileNotFoundException($"{nginx} is missing: install Debian's nginx (bench/run.sh artifacts does it as root).");
        }
        var prefix = Directory.CreateDirectory(Path.Combine(work, "nginx")).FullName;
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var config = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(config, $$"""
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
                server {
                    listen 127.0.0.1:{{port}};
                    root {{root}};
                    location = /health { return 200 "ok"; }
                }
            }
            """);
        Directory.CreateDirectory(Path.Combine(prefix, "tmp"));
        var master = ChildProcess.Start(nginx, ["-p", prefix, "-c", config, "-e", Path.Combine(prefix, "logs", "error.log")], new Dictionary<string, string>(), prefix,
            Path.Combine(prefix, "logs", "stdout.log"));
        return new NginxServer(nginx, prefix, config, master);
    }
}
