using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.SoftwareUpdates.Signing;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>A server with update keys (made as <c>pitwall admin update-keys-init</c> does, before it starts).</summary>
public sealed class SignedUpdateServer : SqliteServer
{
    private readonly string _artifacts = Directory.CreateTempSubdirectory("pitwall-artifacts-").FullName;

    public string KeyDirectory { get; } = Directory.CreateTempSubdirectory("pitwall-update-keys-").FullName;

    public SignedUpdateServer() => Keys.Initialize(TimeProvider.System.GetUtcNow());

    internal UpdateKeyStore Keys => new(Options.Create(new SoftwareUpdateOptions { KeyDirectory = KeyDirectory }));

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() =>
        [.. UpdateSettings.For(_artifacts), new("Pitwall:SoftwareUpdates:KeyDirectory", KeyDirectory)];

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_artifacts, recursive: true);
        Directory.Delete(KeyDirectory, recursive: true);
    }
}

/// <summary>The simulated car verifies the signed update metadata before installing (F3, Uptane-style) and refuses, each with its
/// stable reason reported to Pitwall, a tampered image, a rollback, an image for other hardware and expired metadata.</summary>
public sealed class SignedUpdateTests(SignedUpdateServer server) : IClassFixture<SignedUpdateServer>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<(SimulatedVehicle Car, OwnedVehicle Owned)> CarAsync(string? hardwareVariant = null, TimeProvider? secureTime = null)
    {
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 5, TrustedUpdateRoot = server.Keys.Root(1),
            HardwareVariant = hardwareVariant, SecureTime = secureTime,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        return (car, owned);
    }

    /// <summary>A security fix for the telematics unit at <paramref name="version"/>; returns the set id and the artifact's SHA-256.</summary>
    private static async Task<(string SetId, string Sha256)> FixAsync(UpdateAdmin admin, string version, string? hardwareVariant = null)
    {
        byte[] image = [.. System.Text.Encoding.UTF8.GetBytes(version), .. Enumerable.Range(0, 30_000).Select(i => (byte)(i % 17))]; // own content, own file
        var (module, artifact) = await admin.ModuleAsync("telematics", version, "telematics.img", image);
        var set = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/sets",
            new { name = "Telematics fix", version, updateKind = "security", hardwareVariant, modules = new[] { module } }));
        return (set.GetProperty("id").GetString()!, artifact.GetProperty("sha256").GetString()!);
    }

    /// <summary>The car polls (creating its target), the set is assigned (forced), the car polls again and acts until the action closes.</summary>
    private static async Task OfferAsync(UpdateAdmin admin, SimulatedVehicle car, string vin, string setId)
    {
        await car.PollForUpdateAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await admin.AssignAsync(setId, vin, "forced");
        await car.PollForUpdateAsync();
        Assert.Equal("closed", await admin.LastExecutionWhenAsync(vin, e => e == "closed"));
    }

    private static async Task<string> RefusedAsync(UpdateAdmin admin, SimulatedVehicle car, string vin, string setId)
    {
        await OfferAsync(admin, car, vin, setId);
        var last = (await admin.StateAsync(vin)).GetProperty("actions")[0];
        Assert.Equal("error", last.GetProperty("status").GetString());
        Assert.Equal("5.2.0", car.InstalledSoftware["telematics"]);
        return last.GetProperty("history")[0].GetProperty("details")[0].GetString()!;
    }

    [Fact]
    public async Task A_car_trusting_root_1_follows_a_key_rotation_verifies_the_signed_update_and_installs_it()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, _) = await FixAsync(admin, $"5.3.{Random.Shared.Next()}");
        var rotated = server.Keys.Rotate("timestamp", server.Clock.GetUtcNow());
        var (car, owned) = await CarAsync();
        await using (car)
        {
            await OfferAsync(admin, car, owned.Vin, set);
            Assert.True(car.LastUpdateRefusal is null, car.LastUpdateRefusal);
            Assert.StartsWith("5.3.", car.InstalledSoftware["telematics"]);
            Assert.True(car.TrustedUpdateRootVersion >= rotated, $"root {car.TrustedUpdateRootVersion}");
        }
    }

    [Fact]
    public async Task A_tampered_image_is_refused_before_installing_and_reported_with_its_reason()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, sha256) = await FixAsync(admin, $"5.4.{Random.Shared.Next()}");
        var file = server.Get<ArtifactStore>().PathOf(sha256);
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[^1] ^= 0xFF; // same length, one byte changed on the server's disk
        await File.WriteAllBytesAsync(file, bytes);
        var (car, owned) = await CarAsync();
        await using (car)
        {
            Assert.Equal("refused: tampered_image", await RefusedAsync(admin, car, owned.Vin, set));
            Assert.Equal(UpdateRefusals.TamperedImage, car.LastUpdateRefusal);
        }
    }

    [Fact]
    public async Task A_rollback_to_an_older_version_is_refused()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, _) = await FixAsync(admin, $"5.1.{Random.Shared.Next()}");
        var (car, owned) = await CarAsync();
        await using (car)
        {
            Assert.Equal("refused: rollback", await RefusedAsync(admin, car, owned.Vin, set));
        }
    }

    [Fact]
    public async Task An_image_for_other_hardware_than_the_cars_is_refused_though_the_inventory_said_it_fits()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, _) = await FixAsync(admin, $"5.5.{Random.Shared.Next()}", hardwareVariant: "B2");
        var owned = await server.OwnedVehicleAsync();
        await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/targets",
            new { controllerId = owned.Vin, vin = owned.Vin, hardwareVariant = "B2" })); // the inventory is wrong: the car is an A1
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 6, TrustedUpdateRoot = server.Keys.Root(1), HardwareVariant = "A1",
        });
        await car.ConnectAsync().WaitAsync(Patience);
        Assert.Equal("refused: wrong_hardware", await RefusedAsync(admin, car, owned.Vin, set));
    }

    [Fact]
    public async Task Metadata_expired_by_the_cars_secure_time_is_refused()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (set, _) = await FixAsync(admin, $"5.6.{Random.Shared.Next()}");
        var (car, owned) = await CarAsync(secureTime: new TestClock(server.Clock.GetUtcNow() + TimeSpan.FromDays(2)));
        await using (car)
        {
            Assert.Equal("refused: expired_metadata", await RefusedAsync(admin, car, owned.Vin, set));
        }
    }
}
