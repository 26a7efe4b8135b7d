using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Pitwall with <c>AcceleratedDownloads</c> on, trusting the forwarding headers of nginx on loopback.</summary>
public sealed class AcceleratedUpdateServer : SqliteServer
{
    public string Artifacts { get; } = Directory.CreateTempSubdirectory("pitwall-artifacts-").FullName;

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        .. UpdateSettings.For(Artifacts),
        new("Pitwall:SoftwareUpdates:AcceleratedDownloads:Enabled", "true"),
        new("Pitwall:Http:TrustedProxies:0", "127.0.0.1"),
    ];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Artifacts, recursive: true);
    }
}

/// <summary>
/// The production set-up of artifact downloads: Debian's nginx with the shipped deploy/nginx/pitwall-updates.conf in front of
/// Pitwall. Pitwall authorises each DDI download and answers <c>X-Accel-Redirect</c>; nginx serves the content-addressed file
/// (sendfile, ranges). A refused request never gets the bytes, nobody reaches the internal location directly, and requests that
/// do not come through nginx are served by Pitwall itself.
/// </summary>
public sealed class AcceleratedDownloadTests(AcceleratedUpdateServer server) : IClassFixture<AcceleratedUpdateServer>, IAsyncLifetime
{
    private TestNginx _nginx = null!;

    public async Task InitializeAsync() => _nginx = await TestNginx.StartAsync(server.Client.BaseAddress!.Authority, server.Artifacts);

    public async Task DisposeAsync() => await _nginx.DisposeAsync();

    private static string Base(string controllerId) => $"/DEFAULT/controller/v1/{controllerId}";

    private HttpClient ThroughNginx(string? scheme = null, string? token = null)
    {
        var client = new HttpClient { BaseAddress = _nginx.Address };
        if (scheme is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(scheme, token);
        }
        return client;
    }

    /// <summary>An image uploaded through nginx, assigned to a new owner's car; the car's token, the download link it was given
    /// through nginx, and the artifact's JSON.</summary>
    private async Task<(UpdateAdmin Admin, string Vin, string Token, string Download, JsonElement Artifact)> AssignedAsync(byte[] image)
    {
        var signedIn = await UpdateAdmin.SignInAsync(server);
        var admin = new UpdateAdmin(server, ThroughNginx("Bearer", signedIn.Client.DefaultRequestHeaders.Authorization!.Parameter));
        var (moduleId, artifact) = await admin.ModuleAsync("gateway-ecu", $"4.{Random.Shared.Next()}", "ecu.swu", image);
        var setId = await admin.SetAsync("ECU", $"{Random.Shared.Next()}", [moduleId]);
        var owned = await server.OwnedVehicleAsync();
        var token = await admin.TargetAsync(owned.Vin, owned.Vin);
        var actionId = await admin.AssignAsync(setId, owned.Vin);
        using var car = ThroughNginx("TargetToken", token);
        var deployment = await (await car.GetAsync($"{Base(owned.Vin)}/deploymentBase/{actionId}")).JsonAsync();
        var download = deployment.GetProperty("deployment").GetProperty("chunks")[0].GetProperty("artifacts")[0]
            .GetProperty("_links").GetProperty("download").GetProperty("href").GetString()!;
        return (admin, owned.Vin, token, download, artifact);
    }

    [Fact]
    public async Task Nginx_serves_an_authorised_download_whole_and_resumed_with_pitwalls_name_and_entity_tag()
    {
        var image = RandomNumberGenerator.GetBytes(3_000_000);
        var (_, vin, token, download, artifact) = await AssignedAsync(image);
        var sha256 = artifact.GetProperty("sha256").GetString()!;
        Assert.StartsWith($"{_nginx.Address}DEFAULT/controller/v1/{vin}/softwaremodules/", download); // links name nginx's address
        using var car = ThroughNginx("TargetToken", token);

        using var whole = await car.GetAsync(download);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        Assert.Equal(artifact.GetProperty("sha1").GetString(), Convert.ToHexStringLower(SHA1.HashData(bytes)));
        Assert.Equal($"\"{sha256}\"", whole.Headers.ETag?.ToString());
        Assert.Equal("ecu.swu", whole.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("application/octet-stream", whole.Content.Headers.ContentType?.MediaType);
        Assert.Contains("nginx", whole.Headers.Server.ToString(), StringComparison.Ordinal);
        Assert.False(whole.Headers.Contains("X-Accel-Redirect"));

        // A download broken off after 1 000 000 bytes resumes with a range (and If-Range: only the same bytes).
        using var resume = new HttpRequestMessage(HttpMethod.Get, download);
        resume.Headers.Range = new RangeHeaderValue(1_000_000, null);
        resume.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue($"\"{sha256}\""));
        using var rest = await car.SendAsync(resume);
        Assert.Equal(HttpStatusCode.PartialContent, rest.StatusCode);
        Assert.Equal("bytes 1000000-2999999/3000000", rest.Content.Headers.ContentRange?.ToString());
        var resumed = await rest.Content.ReadAsByteArrayAsync();
        Assert.Equal(sha256, Convert.ToHexStringLower(SHA256.HashData(bytes[..1_000_000].Concat(resumed).ToArray())));
        using var changed = new HttpRequestMessage(HttpMethod.Get, download);
        changed.Headers.Range = new RangeHeaderValue(1_000_000, null);
        changed.Headers.IfRange = new RangeConditionHeaderValue(new EntityTagHeaderValue("\"other-bytes\""));
        using var again = await car.SendAsync(changed);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // another entity: the whole file
        Assert.Equal(image.Length, (await again.Content.ReadAsByteArrayAsync()).Length);
        Assert.Equal($"{artifact.GetProperty("md5").GetString()}  ecu.swu\n", await car.GetStringAsync($"{download}.MD5SUM"));

        // What nginx got from Pitwall: no bytes, the file's place for the internal location. A request that did not come
        // through such a front (a car through HAProxy, a client calling the instance) gets the bytes from Pitwall.
        using var direct = new HttpClient { BaseAddress = server.Client.BaseAddress };
        direct.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("TargetToken", token);
        using var asFront = new HttpRequestMessage(HttpMethod.Get, new Uri(download).PathAndQuery) { Headers = { { "X-Sendfile-Type", "X-Accel-Redirect" } } };
        using var authorised = await direct.SendAsync(asFront);
        Assert.Equal($"/_pitwall/artifacts/sha256/{sha256[..2]}/{sha256}", authorised.Headers.GetValues("X-Accel-Redirect").Single());
        Assert.Empty(await authorised.Content.ReadAsByteArrayAsync());
        using var streamed = await direct.GetAsync(new Uri(download).PathAndQuery);
        Assert.False(streamed.Headers.Contains("X-Accel-Redirect"));
        Assert.Equal(image, await streamed.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Through_nginx_a_refused_download_gets_the_problem_and_the_internal_location_is_not_reachable()
    {
        var image = RandomNumberGenerator.GetBytes(200_000);
        var (admin, vin, _, download, artifact) = await AssignedAsync(image);
        var sha256 = artifact.GetProperty("sha256").GetString()!;
        var path = new Uri(download).PathAndQuery;

        using (var anonymous = ThroughNginx())
        {
            using var refused = await anonymous.GetAsync(path);
            Assert.True((await refused.Content.ReadAsByteArrayAsync()).Length < 1000);
            await refused.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }
        using (var forged = ThroughNginx("TargetToken", "not-the-token"))
        {
            await (await forged.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        }
        // Another car with a valid token but no assignment of this module: 404, as for anything not its own.
        var stranger = await server.OwnedVehicleAsync();
        var strangerToken = await admin.TargetAsync(stranger.Vin, stranger.Vin);
        using (var other = ThroughNginx("TargetToken", strangerToken))
        {
            var foreign = path.Replace(Base(vin), Base(stranger.Vin), StringComparison.Ordinal);
            await (await other.GetAsync(foreign)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

            // The internal location answers only Pitwall's redirect, never a client, whatever it sends.
            using var internalPath = await other.GetAsync($"/_pitwall/artifacts/sha256/{sha256[..2]}/{sha256}");
            Assert.Equal(HttpStatusCode.NotFound, internalPath.StatusCode);
            Assert.True((await internalPath.Content.ReadAsByteArrayAsync()).Length < 1000);
        }
    }

    [Fact]
    public async Task Swupdate_downloads_through_nginx_checks_the_hash_and_installs()
    {
        using var images = await SwuImages.CreateAsync();
        var scratch = Directory.CreateTempSubdirectory("pitwall-scratch-");
        try
        {
            var installed = Path.Combine(scratch.FullName, "installed.txt");
            var (admin, vin, token, _, _) = await AssignedAsync(await images.FileImageAsync("5.0.0", installed, "Pitwall 5.0.0 via nginx\n"));
            await using var client = SwupdateClient.Start(_nginx.Address, vin, token, images.Certificate);
            var watch = Stopwatch.StartNew();
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            while (!File.Exists(installed) || !(await admin.StateAsync(vin)).ToString().Contains("All Chunks Installed", StringComparison.Ordinal))
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60) && !client.HasExited, $"swupdate did not install through nginx:\n{client.Log}\nnginx said:\n{_nginx.Output}");
                await timer.WaitForNextTickAsync();
            }
            Assert.Equal("Pitwall 5.0.0 via nginx\n", await File.ReadAllTextAsync(installed));
            Assert.Equal("running", (await admin.StateAsync(vin)).GetProperty("actions")[0].GetProperty("status").GetString());
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }
}
