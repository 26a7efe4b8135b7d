using System.CommandLine;

namespace Pitwall.Bench.Artifacts;

/// <param name="Pollers">DDI clients that poll their base resource every <see cref="PollInterval"/> during the downloads.</param>
/// <param name="Downloaders">DDI clients downloading the artifact at once, each in two byte ranges (the second one resumes the first).</param>
/// <param name="ArtifactMegabytes">The artifact's size, MiB.</param>
/// <param name="WarmupRounds">Full download rounds per set-up before the counted ones (not counted in bytes/s or CPU).</param>
internal sealed record ArtifactsSettings(
    string WorkDirectory, string ServerDll, int Pollers, TimeSpan PollInterval, int Downloaders, int ArtifactMegabytes, int WarmupRounds, int Rounds, int Port, int NginxPort, int FrontPort,
    string Nginx, TimeSpan QuietWait, IReadOnlySet<string> Setups);

/// <summary><c>pitwall-bench artifacts</c>: Pitwall serving a software update's artifact over hawkBit DDI to many cars at once, beside
/// Pitwall behind nginx (nginx sends the file after Pitwall authorised it) and nginx alone serving the same file from the same disk, in the
/// same run (bench/README.md, section 7).</summary>
internal static class ArtifactsCommand
{
    public static Command Create(Option<string> work, Option<string> serverDll, Option<int> quietWait)
    {
        var pollers = new Option<int>("--pollers") { Description = "Cars polling their DDI base every --poll-interval seconds during the downloads.", DefaultValueFactory = _ => 1000 };
        var pollInterval = new Option<int>("--poll-interval") { DefaultValueFactory = _ => 10 };
        var downloaders = new Option<int>("--downloaders") { Description = "Cars downloading the artifact at once (each in two byte ranges).", DefaultValueFactory = _ => 200 };
        var size = new Option<int>("--size") { Description = "The artifact's size in MiB.", DefaultValueFactory = _ => 50 };
        var rounds = new Option<int>("--rounds") { Description = "Download rounds per server (each: every downloader fetches the artifact once).", DefaultValueFactory = _ => 2 };
        var warmupRounds = new Option<int>("--warmup-rounds")
        {
            Description = "Download rounds per server before the counted ones, not counted (the servers and the client warm up).", DefaultValueFactory = _ => 1,
        };
        var port = new Option<int>("--port") { DefaultValueFactory = _ => 5371 };
        var nginxPort = new Option<int>("--nginx-port") { Description = "nginx alone.", DefaultValueFactory = _ => 5372 };
        var frontPort = new Option<int>("--front-port") { Description = "nginx in front of Pitwall.", DefaultValueFactory = _ => 5373 };
        var setups = new Option<string>("--setups")
        {
            Description = "Which set-ups to measure, comma-separated: direct (Pitwall alone), front (Pitwall behind nginx), nginx (nginx alone).",
            DefaultValueFactory = _ => "direct,front,nginx",
        };
        var nginx = new Option<string>("--nginx") { Description = "The nginx binary (Debian's).", DefaultValueFactory = _ => "/usr/sbin/nginx" };
        var command = new Command("artifacts", "Artifact downloads over hawkBit DDI (with resumed byte ranges) while many cars poll: Pitwall alone, behind nginx (X-Accel-Redirect), and nginx alone serving the same file.")
        {
            pollers, pollInterval, downloaders, size, warmupRounds, rounds, port, nginxPort, frontPort, nginx, setups,
        };
        command.SetAction((r, _) => ArtifactsBenchmark.RunAsync(new ArtifactsSettings(
            r.GetValue(work)!, r.GetValue(serverDll)!, r.GetValue(pollers), TimeSpan.FromSeconds(r.GetValue(pollInterval)), r.GetValue(downloaders), r.GetValue(size),
            r.GetValue(warmupRounds), r.GetValue(rounds), r.GetValue(port), r.GetValue(nginxPort), r.GetValue(frontPort), r.GetValue(nginx)!, TimeSpan.FromSeconds(r.GetValue(quietWait)),
            r.GetValue(setups)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal))));
        return command;
    }
}
