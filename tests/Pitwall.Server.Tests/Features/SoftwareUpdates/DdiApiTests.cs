using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>The admin API and the hawkBit DDI API over HTTP, as a DDI client sees them, on each engine.</summary>
public abstract class DdiApiTests(PitwallServer server)
{
    private static byte[] Image(int size) => [.. Enumerable.Range(0, size).Select(i => (byte)(i * 31 % 251))];

    private static string Base(string vin) => $"/DEFAULT/controller/v1/{vin}";

    [Fact]
    public async Task An_assigned_set_is_polled_described_downloaded_in_ranges_and_reported_installed()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var image = Image(300_000);
        var (moduleId, artifact) = await admin.ModuleAsync("taycan-os", $"1.{Random.Shared.Next()}", "os.swu", image);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), artifact.GetProperty("sha256").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA1.HashData(image)), artifact.GetProperty("sha1").GetString());
        Assert.Equal(Convert.ToHexStringLower(MD5.HashData(image)), artifact.GetProperty("md5").GetString());
        Assert.Equal(image.Length, artifact.GetProperty("size").GetInt64());
        var setId = await admin.SetAsync("Taycan release", $"{Random.Shared.Next()}", [moduleId], model: "Taycan", fromYear: 2020);

        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var token = await admin.TargetAsync(owned.Vin, owned.Vin);
        using var car = admin.Controller(token);
        var poll = await (await car.GetAsync(Base(owned.Vin))).JsonAsync();
        Assert.Equal("00:00:01", poll.GetProperty("config").GetProperty("polling").GetProperty("sleep").GetString());
        Assert.False(poll.GetProperty("_links").TryGetProperty("deploymentBase", out _));
        Assert.True(poll.GetProperty("_links").TryGetProperty("configData", out _)); // first contact: tell us about yourself

        var actionId = await admin.AssignAsync(setId, owned.Vin, "forced");
        poll = await (await car.GetAsync(Base(owned.Vin))).JsonAsync();
        var href = poll.GetProperty("_links").GetProperty("deploymentBase").GetProperty("href").GetString()!;
        Assert.StartsWith($"{server.Client.BaseAddress}DEFAULT/controller/v1/{owned.Vin}/deploymentBase/{actionId}?c=", href);

        var deployment = await (await car.GetAsync(href)).JsonAsync();
        Assert.Equal(actionId.ToString(System.Globalization.CultureInfo.InvariantCulture), deployment.GetProperty("id").GetString());
        Assert.Equal("forced", deployment.GetProperty("deployment").GetProperty("update").GetString());
        var chunk = deployment.GetProperty("deployment").GetProperty("chunks")[0];
        Assert.Equal("os", chunk.GetProperty("part").GetString());
        var file = chunk.GetProperty("artifacts")[0];
        Assert.Equal("os.swu", file.GetProperty("filename").GetString());
        Assert.Equal(artifact.GetProperty("sha1").GetString(), file.GetProperty("hashes").GetProperty("sha1").GetString());
        var download = file.GetProperty("_links").GetProperty("download").GetProperty("href").GetString()!;
        Assert.Equal(download, file.GetProperty("_links").GetProperty("download-http").GetProperty("href").GetString());

        // A download broken off after 100 000 bytes resumes with a range request.
        using var resume = new HttpRequestMessage(HttpMethod.Get, download);
        resume.Headers.Range = new RangeHeaderValue(100_000, null);
        var rest = await car.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal(image[100_000..], await rest.Content.ReadAsByteArrayAsync());
        using var middle = new HttpRequestMessage(HttpMethod.Get, download);
        middle.Headers.Range = new RangeHeaderValue(131_000, 262_200); // across the server's 128 KiB copy steps
        var part = await car.SendAsync(middle);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(image[131_000..262_201], await part.Content.ReadAsByteArrayAsync());
        Assert.Equal(image, await car.GetByteArrayAsync(download));
        Assert.Equal($"{artifact.GetProperty("md5").GetString()}  os.swu\n", await car.GetStringAsync($"{download}.MD5SUM"));

        var feedback = $"{Base(owned.Vin)}/deploymentBase/{actionId}/feedback";
        Assert.Equal(HttpStatusCode.OK, (await car.PostAsJsonAsync(feedback, new
        {
            id = actionId, time = "20261206T101010", // what older clients still send: ignored
            status = new { execution = "proceeding", result = new { finished = "none", progress = new { cnt = 1, of = 2 } }, details = new[] { "Installing" } },
        })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await car.PostAsJsonAsync(feedback,
            new { status = new { execution = "closed", result = new { finished = "success" }, details = new[] { "Done" } } })).StatusCode);
        await (await car.PostAsJsonAsync(feedback, new { status = new { execution = "closed", result = new { finished = "success" } } }))
            .AssertProblemAsync(HttpStatusCode.Gone, "action_closed");

        poll = await (await car.GetAsync(Base(owned.Vin))).JsonAsync();
        Assert.EndsWith($"/installedBase/{actionId}", poll.GetProperty("_links").GetProperty("installedBase").GetProperty("href").GetString());
        Assert.Equal(HttpStatusCode.OK, (await car.PutAsJsonAsync($"{Base(owned.Vin)}/configData", new { data = new { hwRevision = "2", VIN = owned.Vin } })).StatusCode);
        Assert.False((await (await car.GetAsync(Base(owned.Vin))).JsonAsync()).GetProperty("_links").TryGetProperty("configData", out _));
        Assert.Equal(HttpStatusCode.OK, (await car.GetAsync($"{Base(owned.Vin)}/installedBase/{actionId}")).StatusCode);

        var state = await admin.StateAsync(owned.Vin);
        Assert.Equal(setId, state.GetProperty("installed").GetProperty("id").GetString());
        Assert.Equal("2", state.GetProperty("attributes").GetProperty("hwRevision").GetString());
        var action = state.GetProperty("actions")[0];
        Assert.Equal("finished", action.GetProperty("status").GetString());
        Assert.Equal(["closed", "proceeding", "retrieved", "assigned"], action.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("execution").GetString()));
        Assert.Equal("1/2", action.GetProperty("history")[1].GetProperty("progress").GetString());

        // The car's users see the same, documented per car.
        var software = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/software")).JsonAsync()).GetProperty("targets")[0];
        Assert.Equal("Taycan release", software.GetProperty("installed").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, software.GetProperty("open").ValueKind);
        Assert.Equal("finished", software.GetProperty("history")[0].GetProperty("status").GetString());
        var stranger = await server.OwnedVehicleAsync();
        await (await stranger.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/software")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
    }

    [Fact]
    public async Task Cancelling_asks_the_controller_which_confirms_and_the_action_ends_cancelled()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (moduleId, _) = await admin.ModuleAsync("app", $"2.{Random.Shared.Next()}", "app.bin", Image(1000), kind: "application");
        var setId = await admin.SetAsync("App", $"{Random.Shared.Next()}", [moduleId]);
        var owned = await server.OwnedVehicleAsync();
        using var car = admin.Controller(await admin.TargetAsync(owned.Vin, owned.Vin));
        var actionId = await admin.AssignAsync(setId, owned.Vin, "soft");
        var refused = await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/software/sets/{setId}/assignments",
            new { targets = new[] { owned.Vin, "no-such-target" } })).JsonAsync();
        Assert.Equal("action_open", refused.GetProperty("refused").GetProperty(owned.Vin).GetString());
        Assert.Equal("not_found", refused.GetProperty("refused").GetProperty("no-such-target").GetString());
        await (await car.PostAsJsonAsync($"{Base(owned.Vin)}/cancelAction/{actionId}/feedback", new { status = new { execution = "closed", result = new { finished = "success" } } }))
            .AssertProblemAsync(HttpStatusCode.MethodNotAllowed, "action_not_cancelable");

        Assert.Equal(HttpStatusCode.Accepted, (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).StatusCode);
        var links = (await (await car.GetAsync(Base(owned.Vin))).JsonAsync()).GetProperty("_links");
        Assert.False(links.TryGetProperty("deploymentBase", out _));
        var cancel = await (await car.GetAsync(links.GetProperty("cancelAction").GetProperty("href").GetString())).JsonAsync();
        Assert.Equal(actionId.ToString(System.Globalization.CultureInfo.InvariantCulture), cancel.GetProperty("cancelAction").GetProperty("stopId").GetString());
        Assert.Equal(HttpStatusCode.OK, (await car.PostAsJsonAsync($"{Base(owned.Vin)}/cancelAction/{actionId}/feedback",
            new { status = new { execution = "closed", result = new { finished = "success" }, details = new[] { "cancellation acknowledged." } } })).StatusCode);
        Assert.Equal("canceled", (await admin.StateAsync(owned.Vin)).GetProperty("actions")[0].GetProperty("status").GetString());
        await (await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "action_not_cancelable");
        Assert.Equal(HttpStatusCode.OK, (await admin.Client.PostAsJsonAsync($"/api/v1/admin/software/sets/{setId}/assignments", new { targets = new[] { owned.Vin } })).StatusCode);
    }

    [Fact]
    public async Task Controllers_without_the_right_token_tenant_package_or_switches_are_refused_with_stable_codes()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var owned = await server.OwnedVehicleAsync();
        var token = await admin.TargetAsync(owned.Vin, owned.Vin);
        await (await admin.Controller("wrong").GetAsync(Base(owned.Vin))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await admin.Controller(token, "GatewayToken").GetAsync(Base(owned.Vin))).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await admin.Controller(token).GetAsync($"/OTHER/controller/v1/{owned.Vin}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Equal(HttpStatusCode.OK, (await admin.Controller(token).GetAsync($"/default/controller/v1/{owned.Vin}")).StatusCode); // tenants ignore case

        // The gateway token acts for any controller and registers an unknown one, a car when its id is a registered VIN.
        var other = await server.OwnedVehicleAsync();
        using var gateway = admin.Controller(UpdateSettings.GatewayToken, "GatewayToken");
        Assert.Equal(HttpStatusCode.OK, (await gateway.GetAsync(Base(other.Vin))).StatusCode);
        Assert.Equal(other.Vin, (await admin.StateAsync(other.Vin)).GetProperty("vin").GetString());

        // A car without an account gets no updates; bad feedback is refused field by field.
        var (orphan, _) = await server.RegisterVehicleAsync();
        await (await gateway.GetAsync(Base(orphan))).AssertProblemAsync(HttpStatusCode.Forbidden, "car_without_account");
        using var car = admin.Controller(token);
        var bad = await (await car.PostAsJsonAsync($"{Base(owned.Vin)}/deploymentBase/1/feedback", new { status = new { execution = "exploded", result = new { finished = "maybe" } } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(bad.GetProperty("errors").TryGetProperty("status.execution", out _));
        await (await car.PutAsJsonAsync($"{Base(owned.Vin)}/configData", new { mode = "sideways", data = new { a = "b" } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await car.PostAsync($"{Base(owned.Vin)}/deploymentBase/1/feedback", new StringContent("{not json", Encoding.UTF8, "application/json")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_json");

        // The car's switches stop the service: private mode, and the group "services without location".
        await using (await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings { PrivateMode = true }))
        {
            await (await car.GetAsync(Base(owned.Vin))).AssertProblemAsync(HttpStatusCode.Conflict, "privacy_mode");
        }
        await using (await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings { NonLocationServicesDisabled = true }))
        {
            await (await car.GetAsync(Base(owned.Vin))).AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
        }
        await using (await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings { DisabledServices = { "software_update" } }))
        {
            await (await car.GetAsync(Base(owned.Vin))).AssertProblemAsync(HttpStatusCode.Conflict, "service_disabled");
        }
    }

    [Fact]
    public async Task The_catalogue_refuses_bad_input_duplicate_versions_and_sets_that_do_not_fit_the_car()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var version = $"3.{Random.Shared.Next()}";
        var (moduleId, _) = await admin.ModuleAsync("fw", version, "fw.bin", Image(10), kind: "firmware");
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/software/modules", new { name = "fw", version, kind = "firmware" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "version_exists");
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/software/modules", new { name = "", version = "1", kind = "Not A Kind" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await admin.Client.PutAsync($"/api/v1/admin/software/modules/{moduleId}/artifacts/fw.bin", new ByteArrayContent([1])))
            .AssertProblemAsync(HttpStatusCode.Conflict, "artifact_exists");
        await (await admin.Client.PutAsync("/api/v1/admin/software/modules/nope/artifacts/x.bin", new ByteArrayContent([1])))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/software/sets", new { name = "S", version = "1", updateKind = "urgent", modules = new[] { "nope" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var macanOnly = await admin.SetAsync("Macan release", $"{Random.Shared.Next()}", [moduleId], model: "Macan", updateKind: "security");
        var taycan = await server.OwnedVehicleAsync("Taycan", 2025);
        await admin.TargetAsync(taycan.Vin, taycan.Vin);
        var result = await (await admin.Client.PostAsJsonAsync($"/api/v1/admin/software/sets/{macanOnly}/assignments", new { targets = new[] { taycan.Vin } })).JsonAsync();
        Assert.Equal("set_does_not_fit", result.GetProperty("refused").GetProperty(taycan.Vin).GetString());
        await (await admin.Client.PostAsJsonAsync("/api/v1/admin/software/targets", new { controllerId = taycan.Vin }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "target_exists");
        await (await taycan.Client.GetAsync("/api/v1/admin/software/modules")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }
}

public sealed class DdiApiOnSqlite(UpdateSqliteServer server) : DdiApiTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class DdiApiOnPostgres(UpdatePostgresServer server) : DdiApiTests(server), IClassFixture<UpdatePostgresServer>;
