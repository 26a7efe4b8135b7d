using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Signed update metadata: the key directory's roots and keys, the director's per-car sets, and the car's verification of them.</summary>
public sealed class UpdateMetadataTests : IDisposable
{
    private const string Vin = "WPTEST00000000001";
    private readonly string _directory = Directory.CreateTempSubdirectory("pitwall-update-keys-").FullName;
    private readonly TestClock _clock = new();
    private readonly UpdateKeyStore _keys;
    private readonly DirectorMetadata _director;

    public UpdateMetadataTests()
    {
        var options = Options.Create(new SoftwareUpdateOptions { KeyDirectory = _directory, MetadataLifetime = TimeSpan.FromDays(1) });
        _keys = new UpdateKeyStore(options);
        _director = new DirectorMetadata(_keys, new ImageRepository(options, _clock), options, _clock);
        Assert.True(_keys.Initialize(_clock.GetUtcNow()));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static SignedTarget Image(string version = "5.3.0", string sha256 = "ab12", params string[] hardware) =>
        new("telematics", "telematics.img", 20_000, sha256, version, hardware);

    private MetadataSet Sign(params SignedTarget[] targets) => _director.Sign(Vin, targets, 1)!;

    private TrustedMetadata Root1 => new(_keys.Root(1));

    [Fact]
    public void A_fresh_set_verifies_pins_the_image_and_moves_the_trusted_versions_on()
    {
        var check = MetadataVerifier.Verify(Root1, Sign(Image()), _clock.GetUtcNow());

        Assert.Null(check.Refusal);
        var target = Assert.Single(check.Verified!.Targets).Value;
        Assert.Equal(("telematics", 20_000L, "ab12", "5.3.0"), (target.Component, target.Length, target.Sha256, target.Version));
        Assert.Equal(Vin, check.Verified.Vin);
        Assert.Equal(_clock.GetUtcNow().ToUnixTimeSeconds(), check.Verified.Trusted.TargetsVersion);
        Assert.False(_keys.Initialize(_clock.GetUtcNow())); // made once
    }

    [Fact]
    public void A_changed_byte_a_stale_replayed_set_expired_metadata_and_mixed_sets_are_refused_each_with_its_reason()
    {
        var old = Sign(Image());
        _clock.Advance(TimeSpan.FromMinutes(5));
        var fresh = Sign(Image());
        var trusted = MetadataVerifier.Verify(Root1, fresh, _clock.GetUtcNow()).Verified!.Trusted;

        var forged = fresh with { Targets = fresh.Targets.Replace("20000", "20001") };
        Assert.Equal(UpdateRefusals.BadSignature, MetadataVerifier.Verify(Root1, forged, _clock.GetUtcNow()).Refusal);
        Assert.Equal(UpdateRefusals.Replayed, MetadataVerifier.Verify(trusted, old, _clock.GetUtcNow()).Refusal);
        Assert.Equal(UpdateRefusals.Expired, MetadataVerifier.Verify(Root1, fresh, _clock.GetUtcNow() + TimeSpan.FromDays(2)).Refusal);
        Assert.Equal(UpdateRefusals.Inconsistent, MetadataVerifier.Verify(Root1, fresh with { Snapshot = old.Snapshot }, _clock.GetUtcNow()).Refusal);
        Assert.Equal(UpdateRefusals.Inconsistent, MetadataVerifier.Verify(Root1, fresh with { Targets = old.Targets }, _clock.GetUtcNow()).Refusal);
    }

    [Fact]
    public void A_car_on_root_1_follows_rotations_to_the_newest_root_and_refuses_a_set_signed_with_a_retired_key()
    {
        var beforeRotation = Sign(Image());
        Assert.Equal(2, _keys.Rotate("timestamp", _clock.GetUtcNow()));
        Assert.Equal(3, _keys.Rotate("root", _clock.GetUtcNow()));
        _clock.Advance(TimeSpan.FromSeconds(1));

        var check = MetadataVerifier.Verify(Root1, Sign(Image()), _clock.GetUtcNow());
        Assert.Null(check.Refusal);
        Assert.Equal(3, JsonNode.Parse(check.Verified!.Trusted.Root)!["signed"]!["version"]!.GetValue<int>());

        var stale = beforeRotation with { Roots = _keys.RootsAfter(1) }; // the old timestamp key's signature no longer counts
        Assert.Equal(UpdateRefusals.BadSignature, MetadataVerifier.Verify(Root1, stale, _clock.GetUtcNow()).Refusal);
        Assert.Equal(0, new UpdateKeyStore(Options.Create(new SoftwareUpdateOptions { KeyDirectory = _directory + "-none" })).Rotate("root", _clock.GetUtcNow()));
    }

    [Fact]
    public void A_root_signed_by_keys_the_car_does_not_trust_is_refused()
    {
        var other = Directory.CreateTempSubdirectory("pitwall-other-keys-").FullName;
        try
        {
            var stranger = new UpdateKeyStore(Options.Create(new SoftwareUpdateOptions { KeyDirectory = other }));
            stranger.Initialize(_clock.GetUtcNow());
            stranger.Rotate("targets", _clock.GetUtcNow());
            var set = Sign(Image()) with { Roots = stranger.RootsAfter(1) };
            Assert.Equal(UpdateRefusals.BadSignature, MetadataVerifier.Verify(Root1, set, _clock.GetUtcNow()).Refusal);
        }
        finally
        {
            Directory.Delete(other, recursive: true);
        }
    }

    [Fact]
    public void The_offer_must_match_the_signed_targets_the_car_its_hardware_and_not_roll_back_and_the_image_its_hash()
    {
        var verified = MetadataVerifier.Verify(Root1, Sign(Image(hardware: "B2")), _clock.GetUtcNow()).Verified!;
        var installed = new Dictionary<string, string> { ["telematics"] = "5.2.0" };
        OfferedImage offered = new("telematics", "telematics.img", 20_000, "ab12", "5.3.0");

        Assert.Null(ImageChecks.Offer(verified, Vin, "B2", installed, [offered]));
        Assert.Equal(UpdateRefusals.WrongVehicle, ImageChecks.Offer(verified, "WPTEST00000000002", "B2", installed, [offered]));
        Assert.Equal(UpdateRefusals.WrongHardware, ImageChecks.Offer(verified, Vin, "A1", installed, [offered]));
        Assert.Equal(UpdateRefusals.UnsignedTarget, ImageChecks.Offer(verified, Vin, "B2", installed, [offered with { Sha256 = "cd34" }]));
        Assert.Equal(UpdateRefusals.Rollback, ImageChecks.Offer(verified, Vin, "B2", new Dictionary<string, string> { ["telematics"] = "5.10.0" }, [offered]));
        var target = verified.Targets.Values.Single();
        Assert.Null(ImageChecks.Image(target, 20_000, "AB12"));
        Assert.Equal(UpdateRefusals.TamperedImage, ImageChecks.Image(target, 20_000, "ab13"));
    }

    [Fact]
    public async Task Every_car_of_a_fleet_given_the_root_trusts_it()
    {
        await using var fleet = new SimulatedFleet(new FleetOptions { Count = 3, TrustedUpdateRoot = _keys.Root(1) });
        Assert.All(fleet.Vehicles, car => Assert.Equal(1, car.TrustedUpdateRootVersion));
    }

    [Theory]
    [InlineData("24.10.0", "24.9.3", 1)]
    [InlineData("5.2", "5.2.0", 0)]
    [InlineData("1.0.0-rc1", "1.0.0-rc2", -1)]
    public void Versions_order_as_people_write_them(string a, string b, int order) => Assert.Equal(order, SoftwareVersions.Compare(a, b));
}
