using System.Net;
using System.Security.Cryptography;
using Dapper;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Data;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Uptane's image repository with offline keys: the server holds neither the image root nor the targets key, stores only
/// targets signed offline, and a car checks every image the director names against them — so an image the online server alone
/// vouches for is refused.</summary>
public sealed class ImageRepositoryTests(UptaneServer server) : IClassFixture<UptaneServer>
{
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
        var (signedSet, _) = await UptaneSteps.FixAsync(admin, $"5.3.{Random.Shared.Next()}");
        var stored = await UptaneSteps.SignOfflineAsync(server, admin);
        Assert.True(stored.StatusCode == HttpStatusCode.NoContent, await stored.Content.ReadAsStringAsync());
        var (unsignedSet, _) = await UptaneSteps.FixAsync(admin, $"5.4.{Random.Shared.Next()}"); // uploaded after the offline signing
        var state = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository")).JsonAsync();
        Assert.Equal(1, state.GetProperty("rootVersion").GetInt32());
        Assert.Contains(state.GetProperty("unsignedImages").EnumerateArray(), p => p.GetString()!.StartsWith("telematics/5.4.", StringComparison.Ordinal));

        var (car, vin) = await UptaneSteps.CarAsync(server, 21);
        await using (car)
        {
            Assert.StartsWith("installed", await UptaneSteps.OutcomeAsync(admin, car, vin, signedSet));
            Assert.Equal("refused: image_mismatch", await UptaneSteps.OutcomeAsync(admin, car, vin, unsignedSet));
            Assert.Equal(UpdateRefusals.ImageMismatch, car.LastUpdateRefusal);
        }
    }

    [Fact]
    public async Task An_artifact_changed_on_the_server_with_its_recorded_hash_is_signed_by_the_director_but_refused_by_the_car()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, sha256) = await UptaneSteps.FixAsync(admin, $"5.5.{Random.Shared.Next()}");
        Assert.Equal(HttpStatusCode.NoContent, (await UptaneSteps.SignOfflineAsync(server, admin)).StatusCode);
        // An attacker on the server replaces the image and the hash the catalogue records, so the director pins the new one.
        var files = server.Get<ArtifactStore>();
        var evil = (await File.ReadAllBytesAsync(files.PathOf(sha256))).Select(b => (byte)(b ^ 0x5A)).ToArray();
        var evilSha = Convert.ToHexStringLower(SHA256.HashData(evil));
        Directory.CreateDirectory(Path.GetDirectoryName(files.PathOf(evilSha))!);
        await File.WriteAllBytesAsync(files.PathOf(evilSha), evil);
        await server.Get<Database>().WriteAsync((c, t) => c.ExecuteAsync("UPDATE sw_artifacts SET sha256 = @evilSha WHERE sha256 = @sha256", new { evilSha, sha256 }, t),
            CancellationToken.None);

        var (car, vin) = await UptaneSteps.CarAsync(server, 22);
        await using (car)
        {
            Assert.Equal("refused: image_mismatch", await UptaneSteps.OutcomeAsync(admin, car, vin, set));
            Assert.Equal("5.2.0", car.InstalledSoftware["telematics"]);
        }
    }

    [Fact]
    public async Task Targets_signed_with_another_key_or_not_newer_than_the_stored_ones_are_refused_with_their_codes()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        await UptaneSteps.FixAsync(admin, $"5.6.{Random.Shared.Next()}");
        var stranger = Directory.CreateTempSubdirectory("pitwall-stranger-").FullName;
        try
        {
            Assert.True(OfflineImageKeys.Initialize(stranger, Path.Combine(stranger, "server"), TimeProvider.System.GetUtcNow()));
            var forged = await UptaneSteps.SignOfflineAsync(server, admin, stranger);
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
