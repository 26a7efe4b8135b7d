using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// Pitwall's DDI API against the JSON Eclipse hawkBit's DDI defines (its <c>ddi/json/model</c> classes and <c>DdiRootController</c>), one
/// point each: the base poll, deploymentBase, feedback, cancelAction, installedBase, configData and the action history.
/// </summary>
public abstract class DdiConformanceTests(PitwallServer server)
{
    private static string Base(string id) => $"/DEFAULT/controller/v1/{id}";

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    private static IEnumerable<string> Names(JsonElement o) => o.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static object Status(string execution, string finished = "none", string[]? details = null, int? code = null) =>
        new { status = new { execution, result = new { finished }, details = details ?? [], code } };

    /// <summary>An administrator, a device target (no car) with its client, and a set of two modules assigned to it.</summary>
    private async Task<(UpdateAdmin Admin, string Device, HttpClient Client, string SetId, long ActionId)> AssignedAsync(string type = "soft")
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var version = $"1.{Random.Shared.Next()}";
        var os = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/modules", new
        {
            name = "head-unit-os", version, kind = "os",
            metadata = new[] { new { key = "installer", value = "swupdate", targetVisible = true }, new { key = "ticket", value = "REL-7", targetVisible = false } },
        }));
        using (var body = new ByteArrayContent([1, 2, 3, 4, 5]))
        {
            body.Headers.ContentType = new("application/octet-stream");
            await UpdateAdmin.CreatedAsync(await admin.Client.PutAsync($"/api/v1/admin/software/modules/{os.GetProperty("id").GetString()}/artifacts/os.swu", body));
        }
        var (app, _) = await admin.ModuleAsync("navigation", version, "nav.bin", [9, 8, 7], kind: "application");
        var setId = await admin.SetAsync("Head unit", version, [os.GetProperty("id").GetString()!, app]);
        var device = $"hu-{Guid.NewGuid():N}"[..14];
        var client = admin.Controller(await admin.TargetAsync(device, null));
        return (admin, device, client, setId, await admin.AssignAsync(setId, device, type));
    }

    [Fact]
    public async Task The_base_poll_sleeps_in_hh_mm_ss_links_an_open_deployment_beside_the_installed_one_and_configData_only_when_asked()
    {
        var (admin, device, client, setId, first) = await AssignedAsync("forced");
        var poll = await OkAsync(await client.GetAsync(Base(device)));
        Assert.Equal(["_links", "config"], Names(poll));
        Assert.Matches(@"^\d\d:\d\d:\d\d$", poll.GetProperty("config").GetProperty("polling").GetProperty("sleep").GetString());
        Assert.Equal(["configData", "deploymentBase"], Names(poll.GetProperty("_links"))); // first contact: attributes wanted
        Assert.Matches($@"/deploymentBase/{first}\?c=[0-9a-f]+$", poll.GetProperty("_links").GetProperty("deploymentBase").GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"{Base(device)}/configData", new { data = new { hwRevision = "1" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Base(device)}/deploymentBase/{first}/feedback", Status("closed", "success"))).StatusCode);

        // Installed, and asked for attributes again (as hawkBit after a successful update); a second assignment is linked beside it.
        Assert.Equal(["configData", "installedBase"], Names((await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links")));
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"{Base(device)}/configData", new { data = new { hwRevision = "2" } })).StatusCode);
        var second = await admin.AssignAsync(setId, device, "soft");
        var links = (await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links");
        Assert.Equal(["deploymentBase", "installedBase"], Names(links));
        Assert.EndsWith($"/installedBase/{first}", links.GetProperty("installedBase").GetProperty("href").GetString());
        Assert.Contains($"/deploymentBase/{second}?c=", links.GetProperty("deploymentBase").GetProperty("href").GetString());

        // An administrator asks for the attributes: the next poll links configData.
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/targets/{device}/attribute-request", null)).StatusCode);
        Assert.Equal(["configData", "deploymentBase", "installedBase"], Names((await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links")));
        await (await admin.Client.PostAsync("/api/v1/admin/software/targets/no-such-device/attribute-request", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task A_deployment_has_hawkbits_handling_chunks_with_target_visible_metadata_and_artifacts_with_three_hashes_and_their_links()
    {
        var (_, device, client, _, actionId) = await AssignedAsync("soft");
        var href = (await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links").GetProperty("deploymentBase").GetProperty("href").GetString();
        var body = await OkAsync(await client.GetAsync(href));
        Assert.Equal(["deployment", "id"], Names(body)); // no actionHistory unless asked for
        Assert.Equal(JsonValueKind.String, body.GetProperty("id").ValueKind);
        Assert.Equal(Id(actionId), body.GetProperty("id").GetString());
        var deployment = body.GetProperty("deployment");
        Assert.Equal(["chunks", "download", "update"], Names(deployment)); // no maintenanceWindow without one
        Assert.Equal(("attempt", "attempt"), (deployment.GetProperty("download").GetString(), deployment.GetProperty("update").GetString()));

        var chunks = deployment.GetProperty("chunks").EnumerateArray().ToDictionary(c => c.GetProperty("part").GetString()!);
        Assert.Equal(["bApp", "os"], chunks.Keys.Order(StringComparer.Ordinal)); // hawkBit's legacy key for an application
        var os = chunks["os"];
        Assert.Equal(["artifacts", "metadata", "name", "part", "version"], Names(os));
        Assert.Equal("head-unit-os", os.GetProperty("name").GetString());
        var metadata = Assert.Single(os.GetProperty("metadata").EnumerateArray());
        Assert.Equal(("installer", "swupdate"), (metadata.GetProperty("key").GetString(), metadata.GetProperty("value").GetString()));
        Assert.False(chunks["bApp"].TryGetProperty("metadata", out _));

        var artifact = Assert.Single(os.GetProperty("artifacts").EnumerateArray());
        Assert.Equal(["_links", "filename", "hashes", "size"], Names(artifact));
        Assert.Equal(["md5", "sha1", "sha256"], Names(artifact.GetProperty("hashes")));
        Assert.Equal(5, artifact.GetProperty("size").GetInt64());
        var artifactLinks = artifact.GetProperty("_links");
        Assert.Equal(["download", "download-http", "md5sum", "md5sum-http"], Names(artifactLinks)); // plain http here: both kinds
        var download = artifactLinks.GetProperty("download").GetProperty("href").GetString()!;
        Assert.Equal($"{download}.MD5SUM", artifactLinks.GetProperty("md5sum").GetProperty("href").GetString());
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5 }, await client.GetByteArrayAsync(download));

        // A download-only action: download forced, update skipped.
        var (_, other, otherClient, _, _) = await AssignedAsync("downloadonly");
        var onlyDownload = (await OkAsync(await otherClient.GetAsync(
            (await OkAsync(await otherClient.GetAsync(Base(other)))).GetProperty("_links").GetProperty("deploymentBase").GetProperty("href").GetString()))).GetProperty("deployment");
        Assert.Equal(("forced", "skip"), (onlyDownload.GetProperty("download").GetString(), onlyDownload.GetProperty("update").GetString()));
    }

    [Fact]
    public async Task Feedback_maps_every_execution_as_hawkbit_requires_a_result_and_keeps_codes_and_progress()
    {
        var (admin, device, client, _, actionId) = await AssignedAsync();
        var feedback = $"{Base(device)}/deploymentBase/{actionId}/feedback";
        async Task<string> StatusAfterAsync(object body)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(feedback, body)).StatusCode);
            return (await admin.StateAsync(device)).GetProperty("actions")[0].GetProperty("status").GetString()!;
        }
        Assert.Equal("downloading", await StatusAfterAsync(Status("download")));
        Assert.Equal("downloaded", await StatusAfterAsync(Status("downloaded")));
        foreach (var execution in new[] { "scheduled", "resumed", "proceeding" })
        {
            Assert.Equal("running", await StatusAfterAsync(Status(execution)));
        }
        Assert.Equal("rejected", await StatusAfterAsync(Status("rejected", details: ["Battery too low"]))); // hawkBit's WARNING: still open
        Assert.Equal("running", await StatusAfterAsync(new
        {
            timestamp = 1_733_218_554_123L, // the device's time: accepted
            status = new { execution = "proceeding", result = new { finished = "none", progress = new { cnt = 2, of = 5 } }, code = 42 },
        }));
        var history = (await admin.StateAsync(device)).GetProperty("actions")[0].GetProperty("history")[0];
        Assert.Equal("2/5", history.GetProperty("progress").GetString());
        Assert.Equal(["Device reported status code: 42"], history.GetProperty("details").EnumerateArray().Select(d => d.GetString()));

        // Bad feedback: no result, an unknown execution or result (hawkBit's @NotNull and enums): 400 with the fields.
        var bad = await (await client.PostAsJsonAsync(feedback, new { status = new { execution = "closed" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("status.result.finished", out _));
        bad = await (await client.PostAsJsonAsync(feedback, Status("installing", "maybe"))).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("status.execution", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("status.result.finished", out _));

        Assert.Equal("error", await StatusAfterAsync(Status("closed", "failure", ["Flash write failed"])));
        await (await client.PostAsJsonAsync(feedback, Status("closed", "success"))).AssertProblemAsync(HttpStatusCode.Gone, "action_closed");
    }

    [Fact]
    public async Task A_cancellation_is_offered_as_cancelAction_only_refused_by_rejected_and_confirmed_by_closed_not_by_canceled()
    {
        var (admin, device, client, _, actionId) = await AssignedAsync();
        await (await client.PostAsJsonAsync($"{Base(device)}/cancelAction/{actionId}/feedback", Status("closed", "success")))
            .AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "action_not_cancelable");
        await (await client.GetAsync($"{Base(device)}/cancelAction/{actionId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);

        var links = (await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links");
        Assert.Equal(["cancelAction", "configData"], Names(links));
        await (await client.GetAsync($"{Base(device)}/deploymentBase/{actionId}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var cancel = await OkAsync(await client.GetAsync(links.GetProperty("cancelAction").GetProperty("href").GetString()));
        Assert.Equal(["cancelAction", "id"], Names(cancel));
        Assert.Equal((Id(actionId), Id(actionId)), (cancel.GetProperty("id").GetString(), cancel.GetProperty("cancelAction").GetProperty("stopId").GetString()));

        var feedback = $"{Base(device)}/cancelAction/{actionId}/feedback";
        async Task<string> StatusAfterAsync(object body)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(feedback, body)).StatusCode);
            return (await admin.StateAsync(device)).GetProperty("actions")[0].GetProperty("status").GetString()!;
        }
        Assert.Equal("canceling", await StatusAfterAsync(Status("proceeding")));
        Assert.Equal("canceling", await StatusAfterAsync(Status("canceled", "success"))); // hawkBit: a warning, not a confirmation
        Assert.Equal("running", await StatusAfterAsync(Status("rejected"))); // refused: the deployment goes on
        Assert.True((await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links").TryGetProperty("deploymentBase", out _));

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);
        Assert.Equal("running", await StatusAfterAsync(Status("closed", "failure"))); // could not cancel: goes on too
        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);
        Assert.Equal("canceled", await StatusAfterAsync(Status("closed", "success", ["cancellation acknowledged."])));
        await (await client.PostAsJsonAsync(feedback, Status("closed", "success"))).AssertProblemAsync(HttpStatusCode.Gone, "action_closed");
    }

    [Fact]
    public async Task installedBase_describes_the_last_successful_action_and_is_not_found_for_an_open_or_failed_one()
    {
        var (admin, device, client, setId, first) = await AssignedAsync("forced");
        await (await client.GetAsync($"{Base(device)}/installedBase/{first}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Base(device)}/deploymentBase/{first}/feedback", Status("closed", "success", ["Installed"]))).StatusCode);
        var installed = await OkAsync(await client.GetAsync($"{Base(device)}/installedBase/{first}?actionHistory=-1"));
        Assert.Equal(["actionHistory", "deployment", "id"], Names(installed));
        Assert.Equal(("forced", "forced"), (installed.GetProperty("deployment").GetProperty("download").GetString(), installed.GetProperty("deployment").GetProperty("update").GetString()));
        Assert.Equal(2, installed.GetProperty("deployment").GetProperty("chunks").GetArrayLength());
        Assert.Equal("FINISHED", installed.GetProperty("actionHistory").GetProperty("status").GetString());
        Assert.Equal("Installed", installed.GetProperty("actionHistory").GetProperty("messages")[0].GetString());

        var failed = await admin.AssignAsync(setId, device, "forced");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{Base(device)}/deploymentBase/{failed}/feedback", Status("closed", "failure"))).StatusCode);
        await (await client.GetAsync($"{Base(device)}/installedBase/{failed}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.EndsWith($"/installedBase/{first}", (await OkAsync(await client.GetAsync(Base(device)))).GetProperty("_links").GetProperty("installedBase").GetProperty("href").GetString());
    }

    [Fact]
    public async Task configData_merges_replaces_and_removes_attributes_and_refuses_empty_data_or_an_unknown_mode()
    {
        var (admin, device, client, _, _) = await AssignedAsync();
        var config = $"{Base(device)}/configData";
        async Task<string> AttributesAfterAsync(object body)
        {
            var response = await client.PutAsJsonAsync(config, body);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return string.Join(", ", (await admin.StateAsync(device)).GetProperty("attributes").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetString()}")
                .Order(StringComparer.Ordinal));
        }
        // swupdate's legacy body: id, time and status beside data, no mode (merge).
        Assert.Equal("VIN=WP0ZZZ, hwRevision=2",
            await AttributesAfterAsync(new { id = "", time = "20261207T080000", status = new { result = new { finished = "success" }, execution = "closed" }, data = new Dictionary<string, string> { ["VIN"] = "WP0ZZZ", ["hwRevision"] = "2" } }));
        Assert.Equal("VIN=WP0ZZZ, bootloader=u-boot, hwRevision=3",
            await AttributesAfterAsync(new { mode = "merge", data = new { hwRevision = "3", bootloader = "u-boot" } }));
        Assert.Equal("VIN=WP0ZZZ, bootloader=u-boot",
            await AttributesAfterAsync(new { mode = "remove", data = new { hwRevision = "" } }));
        Assert.Equal("serial=42", await AttributesAfterAsync(new { mode = "replace", data = new { serial = "42" } }));

        var bad = await (await client.PutAsJsonAsync(config, new { mode = "append", data = new { } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("mode", out _));
        Assert.True(bad.GetProperty("errors").TryGetProperty("data", out _));
        await (await client.PutAsJsonAsync(config, new { data = new { serial = new string('9', 129) } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task The_action_history_gives_the_reported_messages_newest_first_as_many_as_asked_and_none_by_default()
    {
        var (_, device, client, _, actionId) = await AssignedAsync();
        var feedback = $"{Base(device)}/deploymentBase/{actionId}/feedback";
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(feedback, Status("download", details: ["Started download"]))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(feedback, Status("proceeding", code: 7))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(feedback, Status("proceeding", details: ["Write firmware"]))).StatusCode);
        var deployment = $"{Base(device)}/deploymentBase/{actionId}";

        Assert.False((await OkAsync(await client.GetAsync(deployment))).TryGetProperty("actionHistory", out _));
        Assert.False((await OkAsync(await client.GetAsync($"{deployment}?actionHistory=0"))).TryGetProperty("actionHistory", out _));
        var two = (await OkAsync(await client.GetAsync($"{deployment}?actionHistory=2"))).GetProperty("actionHistory");
        Assert.Equal(["messages", "status"], Names(two));
        Assert.Equal("RUNNING", two.GetProperty("status").GetString());
        Assert.Equal(["Write firmware", "Device reported status code: 7"], two.GetProperty("messages").EnumerateArray().Select(m => m.GetString()));
        var all = (await OkAsync(await client.GetAsync($"{deployment}?actionHistory=-1"))).GetProperty("actionHistory").GetProperty("messages");
        Assert.Equal(["Write firmware", "Device reported status code: 7", "Started download", "Assignment initiated by the update server (soft)"],
            all.EnumerateArray().Select(m => m.GetString()));
        await (await client.GetAsync($"{deployment}?actionHistory=many")).AssertProblemAsync(HttpStatusCode.BadRequest, "bad_request");
    }
}

public sealed class DdiConformanceOnSqlite(UpdateSqliteServer server) : DdiConformanceTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class DdiConformanceOnPostgres(UpdatePostgresServer server) : DdiConformanceTests(server), IClassFixture<UpdatePostgresServer>;
