using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Data;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>A server with director keys and an image repository made offline (as <c>pitwall admin image-keys-init</c> does): the
/// offline directory, with the image root and targets keys, is not the server's.</summary>
public sealed class UptaneServer : SqliteServer
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("pitwall-artifacts-").FullName;

    public string KeyDirectory { get; } = Directory.CreateTempSubdirectory("pitwall-update-keys-").FullName;

    public string OfflineDirectory { get; } = Directory.CreateTempSubdirectory("pitwall-offline-").FullName;

    public UptaneServer()
    {
        new UpdateKeyStore(Options.Create(new SoftwareUpdateOptions { KeyDirectory = KeyDirectory })).Initialize(TimeProvider.System.GetUtcNow());
        Assert.True(OfflineImageKeys.Initialize(OfflineDirectory, KeyDirectory, TimeProvider.System.GetUtcNow()));
    }

    public string DirectorRoot => File.ReadAllText(Path.Combine(KeyDirectory, "root", "1.root.json"));

    public string ImageRoot => File.ReadAllText(Path.Combine(OfflineDirectory, "root", "1.root.json"));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. UpdateSettings.For(_artifacts), new("Pitwall:SoftwareUpdates:KeyDirectory", KeyDirectory)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var directory in new[] { _artifacts, KeyDirectory, OfflineDirectory })
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

/// <summary>Uptane's image repository with offline keys: the server holds neither the image root nor the targets key, stores only
/// targets signed offline, and a car checks every image the director names against them — so an image the online server alone
/// vouches for is refused.</summary>
public sealed class ImageRepositoryTests(UptaneServer server) : IClassFixture<UptaneServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static async Task<(string SetId, string Sha256)> FixAsync(UpdateAdmin admin, string version)
    {
        byte[] image = [.. System.Text.Encoding.UTF8.GetBytes(version), .. Enumerable.Range(0, 20_000).Select(i => (byte)(i % 13))];
        var (module, artifact) = await admin.ModuleAsync("telematics", version, "telematics.img", image);
        var set = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/sets",
            new { name = "Telematics fix", version, updateKind = "security", modules = new[] { module } }));
        return (set.GetProperty("id").GetString()!, artifact.GetProperty("sha256").GetString()!);
    }

    /// <summary>The administrator's round: fetch the unsigned targets, sign them offline, store them.</summary>
    private async Task<HttpResponseMessage> SignOfflineAsync(UpdateAdmin admin, string? offlineDirectory = null)
    {
        var unsigned = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository/unsigned-targets")).Content.ReadAsStringAsync();
        var signed = OfflineImageKeys.SignTargets(offlineDirectory ?? server.OfflineDirectory, unsigned)!;
        return await admin.Client.PutAsync("/api/v1/admin/software/image-repository/targets", new StringContent(signed, System.Text.Encoding.UTF8, "application/json"));
    }

    private async Task<(SimulatedVehicle Car, string Vin)> CarAsync(int seed)
    {
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = seed,
            TrustedUpdateRoot = server.DirectorRoot, TrustedImageRoot = server.ImageRoot,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.PollForUpdateAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        return (car, owned.Vin);
    }

    private static async Task<string> OutcomeAsync(UpdateAdmin admin, SimulatedVehicle car, string vin, string setId)
    {
        await admin.AssignAsync(setId, vin, "forced");
        await car.PollForUpdateAsync();
        Assert.Equal("closed", await admin.LastExecutionWhenAsync(vin, e => e == "closed"));
        return (await admin.StateAsync(vin)).GetProperty("actions")[0].GetProperty("history")[0].GetProperty("details")[0].GetString()!;
    }

    [Fact]
    public void The_server_holds_the_image_roots_online_keys_only_and_the_offline_directory_the_root_and_targets_keys()
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(server.ImageRoot)!["signed"]!;
        string KeyOf(string role) => root["roles"]![role]!["keyids"]![0]!.GetValue<string>();
        var online = Directory.GetFiles(Path.Combine(server.KeyDirectory, "image", "keys")).Select(Path.GetFileNameWithoutExtension).Order().ToList();
        var offline = Directory.GetFiles(Path.Combine(server.OfflineDirectory, "keys")).Select(Path.GetFileNameWithoutExtension).Order().ToList();

        Assert.Equal(new[] { KeyOf("snapshot"), KeyOf("timestamp") }.Order(), online);
        Assert.Equal(new[] { KeyOf("root"), KeyOf("targets") }.Order(), offline);
        var everyServerKey = Directory.GetFiles(server.KeyDirectory, "*.pem", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.DoesNotContain(KeyOf("root"), everyServerKey);
        Assert.DoesNotContain(KeyOf("targets"), everyServerKey);
    }

    [Fact]
    public async Task A_car_installs_an_image_the_offline_signed_targets_pin_and_refuses_one_the_server_alone_vouches_for()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (signedSet, _) = await FixAsync(admin, $"5.3.{Random.Shared.Next()}");
        var stored = await SignOfflineAsync(admin);
        Assert.True(stored.StatusCode == HttpStatusCode.NoContent, await stored.Content.ReadAsStringAsync());
        var (unsignedSet, _) = await FixAsync(admin, $"5.4.{Random.Shared.Next()}"); // uploaded after the offline signing
        var state = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository")).JsonAsync();
        Assert.Equal(1, state.GetProperty("rootVersion").GetInt32());
        Assert.Contains(state.GetProperty("unsignedImages").EnumerateArray(), p => p.GetString()!.StartsWith("telematics/5.4.", StringComparison.Ordinal));

        var (car, vin) = await CarAsync(21);
        await using (car)
        {
            Assert.StartsWith("installed", await OutcomeAsync(admin, car, vin, signedSet));
            Assert.Equal("refused: image_mismatch", await OutcomeAsync(admin, car, vin, unsignedSet));
            Assert.Equal(UpdateRefusals.ImageMismatch, car.LastUpdateRefusal);
        }
    }

    [Fact]
    public async Task An_artifact_changed_on_the_server_with_its_recorded_hash_is_signed_by_the_director_but_refused_by_the_car()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, sha256) = await FixAsync(admin, $"5.5.{Random.Shared.Next()}");
        Assert.Equal(HttpStatusCode.NoContent, (await SignOfflineAsync(admin)).StatusCode);
        // An attacker on the server replaces the image and the hash the catalogue records, so the director pins the new one.
        var files = server.Get<ArtifactStore>();
        var evil = (await File.ReadAllBytesAsync(files.PathOf(sha256))).Select(b => (byte)(b ^ 0x5A)).ToArray();
        var evilSha = Convert.ToHexStringLower(SHA256.HashData(evil));
        Directory.CreateDirectory(Path.GetDirectoryName(files.PathOf(evilSha))!);
        await File.WriteAllBytesAsync(files.PathOf(evilSha), evil);
        await server.Get<Database>().WriteAsync((c, t) => c.ExecuteAsync("UPDATE sw_artifacts SET sha256 = @evilSha WHERE sha256 = @sha256", new { evilSha, sha256 }, t),
            CancellationToken.None);

        var (car, vin) = await CarAsync(22);
        await using (car)
        {
            Assert.Equal("refused: image_mismatch", await OutcomeAsync(admin, car, vin, set));
            Assert.Equal("5.2.0", car.InstalledSoftware["telematics"]);
        }
    }

    [Fact]
    public async Task Targets_signed_with_another_key_or_not_newer_than_the_stored_ones_are_refused_with_their_codes()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        await FixAsync(admin, $"5.6.{Random.Shared.Next()}");
        var stranger = Directory.CreateTempSubdirectory("pitwall-stranger-").FullName;
        try
        {
            Assert.True(OfflineImageKeys.Initialize(stranger, Path.Combine(stranger, "server"), TimeProvider.System.GetUtcNow()));
            var forged = await SignOfflineAsync(admin, stranger);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, forged.StatusCode);
            Assert.Equal("image_targets_bad_signature", (await forged.JsonAsync()).GetProperty("code").GetString());
        }
        finally
        {
            Directory.Delete(stranger, recursive: true);
        }

        var unsigned = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository/unsigned-targets")).Content.ReadAsStringAsync();
        var signed = OfflineImageKeys.SignTargets(server.OfflineDirectory, unsigned)!;
        using var first = new StringContent(signed, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NoContent, (await admin.Client.PutAsync("/api/v1/admin/software/image-repository/targets", first)).StatusCode);
        using var again = new StringContent(signed, System.Text.Encoding.UTF8, "application/json");
        var replayed = await admin.Client.PutAsync("/api/v1/admin/software/image-repository/targets", again);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, replayed.StatusCode);
        Assert.Equal("image_targets_replayed_metadata", (await replayed.JsonAsync()).GetProperty("code").GetString());
        using var junk = new StringContent("{\"signed\": 1}", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await admin.Client.PutAsync("/api/v1/admin/software/image-repository/targets", junk)).StatusCode);
    }
}
