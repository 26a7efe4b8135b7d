using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>
/// The CPO's own versions and 2.2.1 version details, served on loopback so that the eMSP can read them with token B during the
/// credentials handshake (an unknown token gets HTTP 401). A small <see cref="HttpListener"/>: the simulator needs no web host.
/// </summary>
public sealed class CpoVersionsServer : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private readonly string _tokenB;

    public CpoVersionsServer(string tokenB)
    {
        _tokenB = tokenB;
        var port = FreePort();
        Base = new Uri($"http://127.0.0.1:{port}/ocpi/cpo/");
        _listener.Prefixes.Add(Base.ToString());
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Base { get; }

    public Uri Versions => new(Base, "versions");

    /// <summary>The Commands module (Receiver); null: commands are answered with 404.</summary>
    public CpoCommandReceiver? Commands { get; set; }

    /// <summary>How many requests the eMSP made with the right token B.</summary>
    public int Authenticated { get; private set; }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var expected = "Token " + Convert.ToBase64String(Encoding.UTF8.GetBytes(_tokenB));
            var path = context.Request.Url!.AbsolutePath.TrimEnd('/');
            if (context.Request.Headers["Authorization"] == expected && path.Contains("/2.2.1/commands/", StringComparison.Ordinal) && Commands is { } commands)
            {
                await AnswerCommandAsync(context, commands, path[(path.LastIndexOf('/') + 1)..]);
                continue;
            }
            var (status, data) = context.Request.Headers["Authorization"] != expected ? (401, (JsonNode?)null)
                : path.EndsWith("/versions", StringComparison.Ordinal) ? (200, new JsonArray(new JsonObject { ["version"] = "2.2.1", ["url"] = new Uri(Base, "2.2.1").ToString() }))
                : path.EndsWith("/2.2.1", StringComparison.Ordinal) ? (200, Details())
                : (404, null);
            if (status == 200)
            {
                Authenticated++;
            }
            var envelope = new JsonObject
            {
                ["data"] = data,
                ["status_code"] = status == 200 ? 1000 : 2000,
                ["timestamp"] = OcpiObjects.Time(TimeProvider.System.GetUtcNow()),
            };
            var bytes = Encoding.UTF8.GetBytes(envelope.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static async Task AnswerCommandAsync(HttpListenerContext context, CpoCommandReceiver commands, string command)
    {
        JsonObject? body = null;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.InputStream) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            // answered as a command without its fields
        }
        var answer = context.Request.HttpMethod == "POST" ? commands.Receive(command, body) : null;
        var answered = new TaskCompletionSource();
        if (answer?.FollowUp is { } followUp)
        {
            // Tracked before the answer leaves (whoever waits for the CPO to be idle sees it), run after it has left.
            commands.Track(async () =>
            {
                await answered.Task;
                await followUp();
            });
        }
        var bytes = Encoding.UTF8.GetBytes(answer?.Envelope.ToJsonString() ?? "{\"status_code\":2000}");
        context.Response.StatusCode = answer?.Http ?? 405;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
        answered.SetResult();
    }

    private JsonObject Details()
    {
        var endpoints = new JsonArray();
        foreach (var (module, role) in new[] { ("credentials", "SENDER"), ("locations", "SENDER"), ("sessions", "SENDER"), ("cdrs", "SENDER"), ("tariffs", "SENDER"), ("tokens", "RECEIVER"), ("commands", "RECEIVER") })
        {
            endpoints.Add(new JsonObject { ["identifier"] = module, ["role"] = role, ["url"] = new Uri(Base, "2.2.1/" + module).ToString() });
        }
        return new JsonObject { ["version"] = "2.2.1", ["endpoints"] = endpoints };
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
