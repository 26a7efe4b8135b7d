using System.Diagnostics;
using System.Text.Json;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// Debian's swupdate (suricatta, hawkBit mode) as the real update client of Pitwall's DDI API: it polls, downloads a signed
/// <c>.swu</c>, installs it into a scratch directory and reports; a cancelled action, a failed installation and a tampered image
/// end as they must. One swupdate at a time (the tests of a class run one after another).
/// </summary>
public sealed class SwupdateTests(UpdateSqliteServer server) : IClassFixture<UpdateSqliteServer>, IDisposable
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _scratch = Directory.CreateTempSubdirectory("pitwall-scratch-");

    public void Dispose() => _scratch.Delete(recursive: true);

    private string Installed => Path.Combine(_scratch.FullName, "installed.txt");

    /// <summary>A car of an owner with its target and the image assigned to it; returns the VIN, the target token and the action.</summary>
    private async Task<(UpdateAdmin Admin, string Vin, string Token, long ActionId)> AssignedAsync(byte[] image, string version)
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (moduleId, _) = await admin.ModuleAsync("infotainment", version, "update.swu", image, kind: "os");
        var setId = await admin.SetAsync("Infotainment", version, [moduleId], model: "Taycan");
        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var token = await admin.TargetAsync(owned.Vin, owned.Vin);
        return (admin, owned.Vin, token, await admin.AssignAsync(setId, owned.Vin, "forced"));
    }

    /// <summary>Reads the action through the admin API until <paramref name="done"/> holds (swupdate works at its own pace).</summary>
    private static async Task<JsonElement> ActionWhenAsync(UpdateAdmin admin, string vin, Func<JsonElement, bool> done, SwupdateClient client)
    {
        var watch = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        while (true)
        {
            var action = (await admin.StateAsync(vin)).GetProperty("actions")[0];
            if (done(action))
            {
                return action;
            }
            Assert.True(watch.Elapsed < Within && !client.HasExited, $"The action did not get there: {action}\nswupdate said:\n{client.Log}");
            await timer.WaitForNextTickAsync();
        }
    }

    private static IEnumerable<string> Details(JsonElement action) =>
        action.GetProperty("history").EnumerateArray().SelectMany(h => h.GetProperty("details").EnumerateArray().Select(d => d.GetString()!));

    private static string Status(JsonElement action) => action.GetProperty("status").GetString()!;

    [Fact]
    public async Task Swupdate_polls_downloads_installs_a_signed_image_and_reports_success_on_its_next_start()
    {
        using var images = await SwuImages.CreateAsync();
        var (admin, vin, token, actionId) = await AssignedAsync(await images.FileImageAsync("2.0.0", Installed, "Pitwall 2.0.0\n"), "2.0.0");

        await using (var first = SwupdateClient.Start(server.Client.BaseAddress!, vin, token, images.Certificate))
        {
            // While installing it reports only progress; the result waits for its next start (as after a reboot).
            var installed = await ActionWhenAsync(admin, vin, a => Details(a).Any(d => d.Contains("All Chunks Installed", StringComparison.Ordinal)) || Status(a) is "finished" or "error", first);
            Assert.Equal("running", Status(installed));
            Assert.Equal("Pitwall 2.0.0\n", await File.ReadAllTextAsync(Installed));
        }
        await using (var second = SwupdateClient.Start(server.Client.BaseAddress!, vin, token, images.Certificate, confirm: 2))
        {
            var finished = await ActionWhenAsync(admin, vin, a => Status(a) != "running", second);
            Assert.Equal("finished", Status(finished));
            Assert.Equal(actionId, finished.GetProperty("id").GetInt64());
        }
        var state = await admin.StateAsync(vin);
        Assert.Equal("2.0.0", state.GetProperty("installed").GetProperty("version").GetString());
    }

    [Fact]
    public async Task Swupdate_confirms_a_cancelled_action_and_installs_nothing()
    {
        using var images = await SwuImages.CreateAsync();
        var (admin, vin, token, actionId) = await AssignedAsync(await images.FileImageAsync("2.1.0", Installed, "never\n"), "2.1.0");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);

        await using var client = SwupdateClient.Start(server.Client.BaseAddress!, vin, token, images.Certificate);
        var action = await ActionWhenAsync(admin, vin, a => Status(a) != "canceling", client);
        Assert.Equal("canceled", Status(action));
        Assert.False(File.Exists(Installed));
    }

    [Fact]
    public async Task Swupdate_reports_a_failed_installation_as_failure()
    {
        using var images = await SwuImages.CreateAsync();
        var unwritable = Path.Combine(_scratch.FullName, "no-such-directory", "installed.txt"); // the files handler does not create it
        var (admin, vin, token, _) = await AssignedAsync(await images.FileImageAsync("2.2.0", unwritable, "broken\n"), "2.2.0");

        await using var client = SwupdateClient.Start(server.Client.BaseAddress!, vin, token, images.Certificate);
        var action = await ActionWhenAsync(admin, vin, a => Status(a) is "finished" or "error", client);
        Assert.Equal("error", Status(action));
        Assert.Equal("failure", action.GetProperty("history")[0].GetProperty("finished").GetString());
        Assert.False(File.Exists(unwritable));
    }

    [Fact]
    public async Task Swupdate_refuses_a_tampered_image_by_its_signature_and_reports_failure()
    {
        using var images = await SwuImages.CreateAsync();
        var (admin, vin, token, _) = await AssignedAsync(await images.FileImageAsync("2.3.0", Installed, "tampered\n", tamper: true), "2.3.0");

        await using var client = SwupdateClient.Start(server.Client.BaseAddress!, vin, token, images.Certificate);
        var action = await ActionWhenAsync(admin, vin, a => Status(a) is "finished" or "error", client);
        Assert.Equal("error", Status(action));
        Assert.False(File.Exists(Installed));
        Assert.Contains("Signature verification failed", client.Log, StringComparison.Ordinal);
    }
}
