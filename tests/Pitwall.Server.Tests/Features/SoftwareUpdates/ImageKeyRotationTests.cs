using System.Net;
using System.Text;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// Rotating the image repository's keys (Uptane): a new root made offline, signed by the old root key, stored on the server only when it
/// follows the stored root and has not expired; cars trusting an older root follow the chain, and refuse a root that does not link or has
/// expired. A server of its own, since the rotations change its image repository.
/// </summary>
public sealed class ImageKeyRotationTests(UptaneServer server) : IClassFixture<UptaneServer>, IDisposable
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("pitwall-rotation-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    private static string Root(string directory, int version) => File.ReadAllText(Path.Combine(directory, "root", $"{version}.root.json"));

    [Fact]
    public async Task A_targets_key_rotated_offline_gives_root_2_which_the_server_takes_and_a_car_trusting_root_1_follows_to_install()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (before, _) = await UptaneSteps.FixAsync(admin, $"6.1.{Random.Shared.Next()}");
        Assert.Equal(HttpStatusCode.NoContent, (await UptaneSteps.SignOfflineAsync(server, admin)).StatusCode);
        var oldTargetsKey = KeyFiles.KeyIds(Signed(server.ImageRoot), "targets").Single();

        // Offline, with no access to the server: root 2 with a new targets key; the old one is retired.
        var (version, error) = OfflineImageKeys.Rotate(server.OfflineDirectory, null, "targets", TimeProvider.System.GetUtcNow());
        Assert.True(version == 2, error);
        Assert.True(File.Exists(Path.Combine(server.OfflineDirectory, "retired", $"{oldTargetsKey}.pem")));
        using (var stored = await admin.Client.PutAsync("/api/v1/admin/software/image-repository/root", Json(Root(server.OfflineDirectory, 2))))
        {
            Assert.True(stored.StatusCode == HttpStatusCode.NoContent, await stored.Content.ReadAsStringAsync());
        }
        var state = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository")).JsonAsync();
        Assert.Equal(2, state.GetProperty("rootVersion").GetInt32());
        Assert.False(state.GetProperty("targetsTrusted").GetBoolean()); // signed with the retired key: sign again
        Assert.Equal(HttpStatusCode.NoContent, (await UptaneSteps.SignOfflineAsync(server, admin)).StatusCode);
        Assert.True((await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository")).JsonAsync()).GetProperty("targetsTrusted").GetBoolean());

        var (car, vin) = await UptaneSteps.CarAsync(server, 31); // provisioned with image root 1
        await using (car)
        {
            Assert.StartsWith("installed", await UptaneSteps.OutcomeAsync(admin, car, vin, before));
            Assert.Equal(2, car.TrustedImageRootVersion);
        }
        using var again = await admin.Client.PutAsync("/api/v1/admin/software/image-repository/root", Json(Root(server.OfflineDirectory, 2)));
        await again.AssertProblemAsync(HttpStatusCode.UnprocessableEntity, "image_root_replayed_metadata");
    }

    [Fact]
    public async Task A_root_that_skips_a_version_is_signed_by_another_key_has_expired_or_names_online_keys_the_server_lacks_is_refused()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        // A copy of the offline directory to make the roots the server must refuse, without changing the real one.
        var copy = Path.Combine(_scratch, "copy");
        CopyDirectory(server.OfflineDirectory, copy);
        var latest = KeyFiles.LatestVersion(Path.Combine(copy, "root"));
        async Task RefusedAsync(string document, HttpStatusCode status, string code)
        {
            using var response = await admin.Client.PutAsync("/api/v1/admin/software/image-repository/root", Json(document));
            await response.AssertProblemAsync(status, code);
        }

        // Expired: made with a clock a year and a day behind, so its year of validity has run out.
        var stale = Path.Combine(_scratch, "stale");
        CopyDirectory(copy, stale);
        Assert.Equal(latest + 1, OfflineImageKeys.Rotate(stale, null, KeyFiles.None, TimeProvider.System.GetUtcNow().AddDays(-366)).Version);
        await RefusedAsync(Root(stale, latest + 1), HttpStatusCode.UnprocessableEntity, "image_root_expired_metadata");

        // Unlinked: a version skipped, or signed by a stranger's root key only.
        Assert.Equal(latest + 1, OfflineImageKeys.Rotate(copy, null, KeyFiles.None, TimeProvider.System.GetUtcNow()).Version);
        Assert.Equal(latest + 2, OfflineImageKeys.Rotate(copy, null, KeyFiles.None, TimeProvider.System.GetUtcNow()).Version);
        await RefusedAsync(Root(copy, latest + 2), HttpStatusCode.UnprocessableEntity, "image_root_bad_signature");
        var stranger = Path.Combine(_scratch, "stranger");
        Assert.True(OfflineImageKeys.Initialize(stranger, Path.Combine(stranger, "server"), TimeProvider.System.GetUtcNow()));
        for (var v = 1; v <= latest; v++)
        {
            Assert.Equal(v + 1, OfflineImageKeys.Rotate(stranger, null, KeyFiles.None, TimeProvider.System.GetUtcNow()).Version);
        }
        await RefusedAsync(Root(stranger, latest + 1), HttpStatusCode.UnprocessableEntity, "image_root_bad_signature");

        // A new snapshot key made without the server's key directory at hand is refused here: the server could not sign with it.
        var elsewhere = Path.Combine(_scratch, "elsewhere");
        var fresh = Path.Combine(_scratch, "fresh");
        CopyDirectory(server.OfflineDirectory, fresh);
        Assert.Equal(latest + 1, OfflineImageKeys.Rotate(fresh, elsewhere, "snapshot", TimeProvider.System.GetUtcNow()).Version);
        await RefusedAsync(Root(fresh, latest + 1), HttpStatusCode.Conflict, "image_root_online_key_missing");
        Assert.NotNull(OfflineImageKeys.Rotate(fresh, null, "timestamp", TimeProvider.System.GetUtcNow()).Error); // online keys need --key-directory
        Assert.Equal(latest, (await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository")).JsonAsync()).GetProperty("rootVersion").GetInt32());
    }

    [Fact]
    public void A_car_follows_the_image_root_chain_and_refuses_an_unlinked_or_expired_root_with_its_reason()
    {
        var offline = Path.Combine(_scratch, "offline");
        var keys = Path.Combine(_scratch, "keys");
        var time = new TestClock(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero));
        Assert.True(OfflineImageKeys.Initialize(offline, keys, time.GetUtcNow()));
        var repository = new ImageRepository(Options.Create(new SoftwareUpdateOptions { KeyDirectory = keys }), time);
        var unsigned = repository.Unsigned([]).ToJsonString();
        Assert.Null(repository.Store(OfflineImageKeys.SignTargets(offline, unsigned)!));
        var trusted = new TrustedMetadata(Root(offline, 1));

        // Root and snapshot keys rotated, each root stored on the server: a car on root 1 follows both steps.
        Assert.Equal(2, OfflineImageKeys.Rotate(offline, keys, "root", time.GetUtcNow()).Version);
        Assert.Equal(3, OfflineImageKeys.Rotate(offline, keys, "snapshot", time.GetUtcNow()).Version);
        var check = MetadataVerifier.VerifyImages(trusted, repository.Sign(1)!, time.GetUtcNow());
        Assert.True(check.Verified is not null, check.Refusal);
        Assert.Equal(3, System.Text.Json.Nodes.JsonNode.Parse(check.Verified.Trusted.Root)!["signed"]!["version"]!.GetValue<int>());

        // A root 4 that a stranger signed, put into the server's directory behind its back: refused, and so is one that expired.
        var stranger = Path.Combine(_scratch, "stranger");
        Assert.True(OfflineImageKeys.Initialize(stranger, Path.Combine(stranger, "server"), time.GetUtcNow()));
        for (var v = 1; v <= 3; v++)
        {
            OfflineImageKeys.Rotate(stranger, null, KeyFiles.None, time.GetUtcNow());
        }
        File.WriteAllText(Path.Combine(keys, "image", "root", "4.root.json"), Root(stranger, 4));
        Assert.Equal(UpdateRefusals.BadSignature, MetadataVerifier.VerifyImages(check.Verified.Trusted, repository.Sign(3)!, time.GetUtcNow()).Refusal);
        File.Delete(Path.Combine(keys, "image", "root", "4.root.json"));
        time.Advance(TimeSpan.FromDays(366)); // root 3's year is over
        Assert.Equal(UpdateRefusals.Expired, MetadataVerifier.VerifyImages(trusted, repository.Sign(1)!, time.GetUtcNow()).Refusal);
    }

    private static System.Text.Json.Nodes.JsonObject Signed(string document) => System.Text.Json.Nodes.JsonNode.Parse(document)!["signed"]!.AsObject();

    private static void CopyDirectory(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
