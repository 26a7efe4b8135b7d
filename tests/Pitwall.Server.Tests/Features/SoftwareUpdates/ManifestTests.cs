using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Pitwall.Protocol.Updates;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Uptane vehicle manifests (F3): cars sign what each component runs; Pitwall verifies and keeps the latest, shows it to
/// administrators, refuses a bad one with a stable code, and the director decides by it what to offer — on each engine.</summary>
public abstract class ManifestTests(PitwallServer server)
{
    private static string Manifest(ECDsa key, string vin, string version, string sha256, long length = 1000, DateTimeOffset? at = null) =>
        VehicleManifests.Sign(key, vin, at ?? DateTimeOffset.UtcNow, [new InstalledImage("infotainment", version, sha256, length)]);

    private static async Task<UpdateOffer> PollAsync(TestCar car, string manifest)
    {
        var requestId = Guid.NewGuid().ToString("N");
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, UpdatePoll = new UpdatePoll { RequestId = requestId, Manifest = manifest } });
        await car.WaitForAckAsync(seq);
        while (true)
        {
            var offer = (await car.ReceiveAsync(Envelope.PayloadOneofCase.UpdateOffer)).UpdateOffer;
            if (offer.RequestId == requestId)
            {
                return offer;
            }
        }
    }

    private static async Task<JsonElement> ManifestOfAsync(UpdateAdmin admin, string controllerId) =>
        (await admin.StateAsync(controllerId)).GetProperty("manifest");

    [Fact]
    public async Task A_signed_manifest_is_kept_and_shown_to_administrators_and_a_forged_replayed_or_foreign_one_is_refused_with_its_code()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var hash = new string('a', 64);

        Assert.Equal("", (await PollAsync(car, Manifest(key, owned.Vin, "3.1.0", hash))).ManifestRefusal);
        var kept = await ManifestOfAsync(admin, owned.Vin);
        var image = Assert.Single(kept.GetProperty("installed").EnumerateArray());
        Assert.Equal(("infotainment", "3.1.0", hash, 1000L), (image.GetProperty("component").GetString(), image.GetProperty("version").GetString(),
            image.GetProperty("sha256").GetString(), image.GetProperty("length").GetInt64()));
        Assert.Equal(MetadataKeys.KeyId(MetadataKeys.PublicKey(key)), kept.GetProperty("keyId").GetString());

        var forged = Manifest(key, owned.Vin, "3.2.0", hash).Replace("3.2.0", "9.9.9", StringComparison.Ordinal);
        Assert.Equal(ManifestRefusals.BadSignature, (await PollAsync(car, forged)).ManifestRefusal);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.Equal(ManifestRefusals.BadSignature, (await PollAsync(car, Manifest(other, owned.Vin, "3.2.0", hash))).ManifestRefusal); // not the pinned key
        Assert.Equal(ManifestRefusals.WrongVehicle, (await PollAsync(car, Manifest(key, "WPOTHERCAR0000001", "3.2.0", hash))).ManifestRefusal);
        Assert.Equal(ManifestRefusals.Replayed, (await PollAsync(car, Manifest(key, owned.Vin, "3.0.0", hash, at: DateTimeOffset.UtcNow.AddHours(-1)))).ManifestRefusal);
        Assert.Equal(ManifestRefusals.Invalid, (await PollAsync(car, "not a manifest")).ManifestRefusal);

        var after = await ManifestOfAsync(admin, owned.Vin);
        Assert.Equal("3.1.0", after.GetProperty("installed")[0].GetProperty("version").GetString()); // none of them replaced it
        Assert.Equal(ManifestRefusals.Invalid, after.GetProperty("lastRefusal").GetString());
    }

    [Fact]
    public async Task A_device_sends_its_manifest_over_ddi_and_a_bad_signature_gets_a_problem_with_its_code()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var device = $"device-{Guid.NewGuid():N}";
        using var ddi = admin.Controller(await admin.TargetAsync(device, null));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var manifest = Manifest(key, device, "3.1.0", new string('b', 64));

        using var forged = new StringContent(manifest.Replace("3.1.0", "3.1.1", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json");
        var refused = await ddi.PutAsync($"/DEFAULT/controller/v1/{device}/manifest", forged);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal(ManifestRefusals.BadSignature, (await refused.JsonAsync()).GetProperty("code").GetString());
        using var junk = new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, (await ddi.PutAsync($"/DEFAULT/controller/v1/{device}/manifest", junk)).StatusCode);

        using var good = new StringContent(manifest, System.Text.Encoding.UTF8, "application/json");
        Assert.Equal(HttpStatusCode.NoContent, (await ddi.PutAsync($"/DEFAULT/controller/v1/{device}/manifest", good)).StatusCode);
        Assert.Equal("3.1.0", (await ManifestOfAsync(admin, device)).GetProperty("installed")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task The_director_finishes_an_update_the_manifest_shows_installed_and_fails_one_that_would_roll_a_component_back()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings());
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var running = $"3.{Random.Shared.Next()}.0";
        byte[] image = [.. System.Text.Encoding.UTF8.GetBytes(running), .. Enumerable.Range(0, 5_000).Select(i => (byte)(i % 11))];
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(image));
        var manifest = Manifest(key, owned.Vin, running, sha256, image.Length);
        await PollAsync(car, manifest); // the car's target exists now

        var (same, _) = await admin.ModuleAsync("infotainment", running, "infotainment.img", image);
        await admin.AssignAsync(await admin.SetAsync("Infotainment", $"{Random.Shared.Next()}", [same]), owned.Vin, "forced");
        Assert.Equal(0ul, (await PollAsync(car, manifest)).ActionId);
        var finished = (await admin.StateAsync(owned.Vin)).GetProperty("actions")[0];
        Assert.Equal("finished", finished.GetProperty("status").GetString());
        Assert.StartsWith("director: already installed", finished.GetProperty("history")[0].GetProperty("details")[0].GetString());

        var (older, _) = await admin.ModuleAsync("infotainment", $"1.{Random.Shared.Next()}", "infotainment.img", [1, 2, 3]);
        await admin.AssignAsync(await admin.SetAsync("Infotainment", $"{Random.Shared.Next()}", [older]), owned.Vin, "forced");
        Assert.Equal(0ul, (await PollAsync(car, manifest)).ActionId);
        var failed = (await admin.StateAsync(owned.Vin)).GetProperty("actions")[0];
        Assert.Equal("error", failed.GetProperty("status").GetString());
        Assert.Contains("would roll back", failed.GetProperty("history")[0].GetProperty("details")[0].GetString());
    }
}

public sealed class ManifestsOnSqlite(UpdateSqliteServer server) : ManifestTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class ManifestsOnPostgres(UpdatePostgresServer server) : ManifestTests(server), IClassFixture<UpdatePostgresServer>;
