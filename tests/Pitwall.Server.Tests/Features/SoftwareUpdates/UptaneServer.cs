using System.Net.Http.Json;
using Microsoft.Extensions.Options;
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

/// <summary>What the Uptane tests do: a fix with one image, the administrator's offline signing round, a car trusting both roots, an
/// assignment's outcome as the car reported it.</summary>
internal static class UptaneSteps
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public static async Task<(string SetId, string Sha256)> FixAsync(UpdateAdmin admin, string version)
    {
        byte[] image = [.. System.Text.Encoding.UTF8.GetBytes(version), .. Enumerable.Range(0, 20_000).Select(i => (byte)(i % 13))];
        var (module, artifact) = await admin.ModuleAsync("telematics", version, "telematics.img", image);
        var set = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/sets",
            new { name = "Telematics fix", version, updateKind = "security", modules = new[] { module } }));
        return (set.GetProperty("id").GetString()!, artifact.GetProperty("sha256").GetString()!);
    }

    /// <summary>The administrator's round: fetch the unsigned targets, sign them offline, store them.</summary>
    public static async Task<HttpResponseMessage> SignOfflineAsync(UptaneServer server, UpdateAdmin admin, string? offlineDirectory = null)
    {
        var unsigned = await (await admin.Client.GetAsync("/api/v1/admin/software/image-repository/unsigned-targets")).Content.ReadAsStringAsync();
        var signed = OfflineImageKeys.SignTargets(offlineDirectory ?? server.OfflineDirectory, unsigned)!;
        return await admin.Client.PutAsync("/api/v1/admin/software/image-repository/targets", new StringContent(signed, System.Text.Encoding.UTF8, "application/json"));
    }

    public static async Task<(SimulatedVehicle Car, string Vin)> CarAsync(UptaneServer server, int seed, string? imageRoot = null)
    {
        var owned = await server.OwnedVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = seed,
            TrustedUpdateRoot = server.DirectorRoot, TrustedImageRoot = imageRoot ?? server.ImageRoot,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.PollForUpdateAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        return (car, owned.Vin);
    }

    public static async Task<string> OutcomeAsync(UpdateAdmin admin, SimulatedVehicle car, string vin, string setId)
    {
        await admin.AssignAsync(setId, vin, "forced");
        await car.PollForUpdateAsync();
        Assert.Equal("closed", await admin.LastExecutionWhenAsync(vin, e => e == "closed"));
        return (await admin.StateAsync(vin)).GetProperty("actions")[0].GetProperty("history")[0].GetProperty("details")[0].GetString()!;
    }
}
