using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Campaigns: a set rolled out in waves to many targets that answer over the DDI API, on each engine.</summary>
public abstract class CampaignTests(PitwallServer server)
{
    private const string Campaigns = "/api/v1/admin/software/campaigns";

    private async Task<(UpdateAdmin Admin, string SetId)> ReleaseAsync()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (moduleId, _) = await admin.ModuleAsync("ecu-firmware", $"4.{Random.Shared.Next()}", "ecu.bin", [1, 2, 3], kind: "firmware");
        return (admin, await admin.SetAsync("ECU firmware", $"{Random.Shared.Next()}", [moduleId], updateKind: "security"));
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    /// <summary>The device polls; when it has a deployment it reports <paramref name="result"/> and says so.</summary>
    private static async Task<bool> InstallAsync(HttpClient device, string controllerId, string result)
    {
        var links = (await OkAsync(await device.GetAsync($"/DEFAULT/controller/v1/{controllerId}"))).GetProperty("_links");
        if (!links.TryGetProperty("deploymentBase", out var deployment))
        {
            return false;
        }
        var href = deployment.GetProperty("href").GetString()!;
        var feedback = href[..href.IndexOf('?', StringComparison.Ordinal)] + "/feedback";
        Assert.Equal(HttpStatusCode.OK, (await device.PostAsJsonAsync(feedback, new { status = new { execution = "closed", result = new { finished = result } } })).StatusCode);
        return true;
    }

    private Task AdvanceAsync() => server.Get<CampaignJob>().RunOnceAsync(CancellationToken.None);

    private static int Progress(JsonElement campaign, int wave, string what) => campaign.GetProperty("progress")[wave].GetProperty(what).GetInt32();

    [Fact]
    public async Task A_two_wave_campaign_over_200_targets_pauses_at_its_error_threshold_resumes_and_finishes()
    {
        var (admin, setId) = await ReleaseAsync();
        var devices = new Dictionary<string, HttpClient>();
        var prefix = $"ecu-{Guid.NewGuid():N}"[..12];
        for (var i = 0; i < 200; i++)
        {
            var id = $"{prefix}-{i:D3}";
            devices[id] = admin.Controller(await admin.TargetAsync(id, null));
        }
        var campaign = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync(Campaigns,
            new { name = "ECU security fix", setId, type = "forced", targets = devices.Keys, waves = new[] { 10, 100 }, errorThreshold = 20 }));
        var id0 = campaign.GetProperty("id").GetString()!;
        Assert.Equal("running", campaign.GetProperty("state").GetString());
        Assert.Equal(20, Progress(campaign, 0, "assigned"));
        Assert.Equal(180, Progress(campaign, 1, "targets"));
        Assert.Equal(0, Progress(campaign, 1, "assigned"));

        // Wave 1: 4 of its 20 installations fail — 20 %, the threshold — and the campaign pauses; wave 2 gets nothing.
        var failures = 0;
        var firstWave = new List<string>();
        foreach (var (id, device) in devices)
        {
            if (await InstallAsync(device, id, failures < 4 ? "failure" : "success"))
            {
                failures++;
                firstWave.Add(id);
            }
        }
        Assert.Equal(20, firstWave.Count);
        await AdvanceAsync();
        campaign = await OkAsync(await admin.Client.GetAsync($"{Campaigns}/{id0}"));
        Assert.Equal("paused", campaign.GetProperty("state").GetString());
        Assert.Contains("4 of 20", campaign.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
        Assert.Equal(16, Progress(campaign, 0, "finished"));
        Assert.Equal(4, Progress(campaign, 0, "failed"));
        var secondWave = devices.Keys.Except(firstWave).ToList();
        Assert.False(await InstallAsync(devices[secondWave[0]], secondWave[0], "success"));

        // Resumed, wave 2 starts; once every car reported, the campaign is finished.
        campaign = await OkAsync(await admin.Client.PostAsync($"{Campaigns}/{id0}/resume", null));
        Assert.Equal("running", campaign.GetProperty("state").GetString());
        Assert.Equal(180, Progress(campaign, 1, "assigned"));
        foreach (var id in secondWave)
        {
            Assert.True(await InstallAsync(devices[id], id, "success"));
        }
        await AdvanceAsync();
        campaign = await OkAsync(await admin.Client.GetAsync($"{Campaigns}/{id0}"));
        Assert.Equal("finished", campaign.GetProperty("state").GetString());
        Assert.Equal(180, Progress(campaign, 1, "finished"));
        await (await admin.Client.PostAsync($"{Campaigns}/{id0}/resume", null)).AssertProblemAsync(HttpStatusCode.Conflict, "campaign_state_conflict");
        foreach (var device in devices.Values)
        {
            device.Dispose();
        }
    }

    [Fact]
    public async Task A_filter_picks_the_cars_of_a_model_and_a_cancelled_campaign_cancels_its_open_actions()
    {
        var (admin, setId) = await ReleaseAsync();
        var macan = await server.OwnedVehicleAsync("Macan", 2021);
        var taycan = await server.OwnedVehicleAsync("Taycan", 2025);
        await admin.TargetAsync(macan.Vin, macan.Vin);
        await admin.TargetAsync(taycan.Vin, taycan.Vin);
        var campaign = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync(Campaigns,
            new { name = "Macan only", setId, filter = new { model = "Macan", fromYear = 2021 }, waves = new[] { 100 } }));
        var id = campaign.GetProperty("id").GetString()!;
        Assert.True(Progress(campaign, 0, "targets") >= 1);
        var macanAction = (await admin.StateAsync(macan.Vin)).GetProperty("actions")[0];
        Assert.Equal("pending", macanAction.GetProperty("status").GetString());
        Assert.Equal("soft", macanAction.GetProperty("type").GetString());
        Assert.Equal(0, (await admin.StateAsync(taycan.Vin)).GetProperty("actions").GetArrayLength());

        campaign = await OkAsync(await admin.Client.PostAsync($"{Campaigns}/{id}/cancel", null));
        Assert.Equal("canceled", campaign.GetProperty("state").GetString());
        Assert.Equal("canceling", (await admin.StateAsync(macan.Vin)).GetProperty("actions")[0].GetProperty("status").GetString());
        await (await admin.Client.PostAsync($"{Campaigns}/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "campaign_state_conflict");

        var bad = await (await admin.Client.PostAsJsonAsync(Campaigns, new { name = "", setId = "nope", waves = new[] { 50, 10 }, errorThreshold = 0 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        foreach (var field in new[] { "name", "setId", "waves", "errorThreshold", "targets" })
        {
            Assert.True(bad.GetProperty("errors").TryGetProperty(field, out _), field);
        }
    }

    [Fact]
    public async Task A_campaign_paused_by_hand_starts_no_wave_until_resumed_and_its_failures_are_not_waved_through()
    {
        var (admin, setId) = await ReleaseAsync();
        var prefix = $"ecu-{Guid.NewGuid():N}"[..12];
        var devices = new Dictionary<string, HttpClient>();
        for (var i = 0; i < 4; i++)
        {
            devices[$"{prefix}-{i}"] = admin.Controller(await admin.TargetAsync($"{prefix}-{i}", null));
        }
        var campaign = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync(Campaigns,
            new { name = "Held", setId, targets = devices.Keys, waves = new[] { 50, 100 }, errorThreshold = 50 }));
        var id = campaign.GetProperty("id").GetString()!;

        campaign = await OkAsync(await admin.Client.PostAsync($"{Campaigns}/{id}/pause", null));
        Assert.Equal(("paused", "paused_by_administrator"), (campaign.GetProperty("state").GetString(), campaign.GetProperty("pausedReason").GetString()));
        await (await admin.Client.PostAsync($"{Campaigns}/{id}/pause", null)).AssertProblemAsync(HttpStatusCode.Conflict, "campaign_state_conflict");
        foreach (var (device, client) in devices)
        {
            await InstallAsync(client, device, "failure"); // the first wave's two fail
        }
        await AdvanceAsync();
        campaign = await OkAsync(await admin.Client.GetAsync($"{Campaigns}/{id}"));
        Assert.Equal(("paused", 0, 0), (campaign.GetProperty("state").GetString(), campaign.GetProperty("wave").GetInt32(), Progress(campaign, 1, "assigned")));

        // Resumed, the wave's failures still count: the threshold pauses it again rather than starting the next wave.
        campaign = await OkAsync(await admin.Client.PostAsync($"{Campaigns}/{id}/resume", null));
        Assert.Equal("paused", campaign.GetProperty("state").GetString());
        Assert.StartsWith("error_threshold", campaign.GetProperty("pausedReason").GetString());
    }

    [Fact]
    public async Task Outside_its_maintenance_window_a_campaigns_deployment_may_be_downloaded_but_not_installed()
    {
        var (admin, setId) = await ReleaseAsync();
        var now = server.Get<TimeProvider>().GetUtcNow();
        string At(double hours) => now.AddHours(hours).ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var windows = new Dictionary<string, object>
        {
            ["closed"] = new { start = At(2), end = At(3), timeZone = "UTC" },
            ["open"] = new { start = At(-1), end = At(1) },
        };
        foreach (var (which, window) in windows)
        {
            var device = $"ecu-{Guid.NewGuid():N}"[..12];
            var client = admin.Controller(await admin.TargetAsync(device, null));
            await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync(Campaigns,
                new { name = $"Night only {which}", setId, targets = new[] { device }, waves = new[] { 100 }, maintenanceWindow = window }));
            var links = (await OkAsync(await client.GetAsync($"/DEFAULT/controller/v1/{device}"))).GetProperty("_links");
            var deployment = (await OkAsync(await client.GetAsync(links.GetProperty("deploymentBase").GetProperty("href").GetString()))).GetProperty("deployment");
            Assert.Equal(which == "open" ? ("available", "attempt") : ("unavailable", "skip"),
                (deployment.GetProperty("maintenanceWindow").GetString(), deployment.GetProperty("update").GetString()));
        }
        var bad = await (await admin.Client.PostAsJsonAsync(Campaigns,
                new { name = "Bad window", setId, targets = new[] { "x" }, maintenanceWindow = new { start = "25:00", end = "01:00", timeZone = "Mars/Olympus" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("maintenanceWindow.start", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("maintenanceWindow.timeZone", out _));
    }
}

public sealed class CampaignsOnSqlite(UpdateSqliteServer server) : CampaignTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class CampaignsOnPostgres(UpdatePostgresServer server) : CampaignTests(server), IClassFixture<UpdatePostgresServer>;
