using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>The software-update settings the tests use: artifacts in a directory of their own, a one-second polling sleep (so
/// a real client comes back at once) and a gateway token.</summary>
internal static class UpdateSettings
{
    public const string GatewayToken = "gateway-token-for-tests";

    public static IEnumerable<KeyValuePair<string, string?>> For(string artifacts) =>
    [
        new("Pitwall:SoftwareUpdates:ArtifactDirectory", artifacts),
        new("Pitwall:SoftwareUpdates:PollingSleep", "00:00:01"),
        new("Pitwall:SoftwareUpdates:GatewayToken", GatewayToken),
        new("Pitwall:SoftwareUpdates:CampaignsEnabled", "false"), // the tests move campaigns on by hand
    ];
}

public sealed class UpdateSqliteServer : SqliteServer
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("pitwall-artifacts-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => UpdateSettings.For(_artifacts);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_artifacts, recursive: true);
    }
}

public sealed class UpdatePostgresServer : PostgresServer
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("pitwall-artifacts-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => UpdateSettings.For(_artifacts);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_artifacts, recursive: true);
    }
}

/// <summary>What the update tests do as an administrator: modules with artifacts, sets, targets, assignments.</summary>
internal sealed class UpdateAdmin(PitwallServer server, HttpClient admin)
{
    public HttpClient Client => admin;

    public static async Task<UpdateAdmin> SignInAsync(PitwallServer server)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
        return new UpdateAdmin(server, server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken));
    }

    public static async Task<JsonElement> CreatedAsync(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    /// <summary>A module with one artifact; returns the module id and the artifact's JSON.</summary>
    public async Task<(string ModuleId, JsonElement Artifact)> ModuleAsync(string name, string version, string filename, byte[] content, string kind = "os")
    {
        var module = await CreatedAsync(await admin.PostAsJsonAsync("/api/v1/admin/software/modules", new { name, version, kind, vendor = "Pitwall" }));
        var id = module.GetProperty("id").GetString()!;
        using var body = new ByteArrayContent(content);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var artifact = await CreatedAsync(await admin.PutAsync($"/api/v1/admin/software/modules/{id}/artifacts/{filename}", body));
        return (id, artifact);
    }

    public async Task<string> SetAsync(string name, string version, IReadOnlyList<string> modules, string? model = null, int? fromYear = null, string updateKind = "feature") =>
        (await CreatedAsync(await admin.PostAsJsonAsync("/api/v1/admin/software/sets", new { name, version, updateKind, model, fromYear, modules })))
        .GetProperty("id").GetString()!;

    /// <summary>A target for the car (controller id = VIN); returns its target token.</summary>
    public async Task<string> TargetAsync(string controllerId, string? vin) =>
        (await CreatedAsync(await admin.PostAsJsonAsync("/api/v1/admin/software/targets", new { controllerId, vin })))
        .GetProperty("securityToken").GetString()!;

    /// <summary>Assigns the set to the target and returns the action id.</summary>
    public async Task<long> AssignAsync(string setId, string controllerId, string type = "forced")
    {
        var response = await admin.PostAsJsonAsync($"/api/v1/admin/software/sets/{setId}/assignments", new { targets = new[] { controllerId }, type });
        var json = await response.JsonAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, json.ToString());
        return json.GetProperty("assigned")[0].GetProperty("id").GetInt64();
    }

    public async Task<JsonElement> StateAsync(string controllerId) => await (await admin.GetAsync($"/api/v1/admin/software/targets/{controllerId}")).JsonAsync();

    /// <summary>Waits (a minute at most) until the newest action's latest execution satisfies <paramref name="done"/>; returns it.</summary>
    public async Task<string> LastExecutionWhenAsync(string vin, Func<string, bool> done)
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        while (true)
        {
            var state = await StateAsync(vin);
            var actions = state.GetProperty("actions");
            var last = actions.GetArrayLength() > 0 ? actions[0].GetProperty("history")[0].GetProperty("execution").GetString()! : "";
            if (done(last))
            {
                return last;
            }
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"still {last}: {state}");
            await timer.WaitForNextTickAsync();
        }
    }

    public HttpClient Controller(string token, string scheme = "TargetToken")
    {
        var client = new HttpClient { BaseAddress = server.Client.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        return client;
    }
}
