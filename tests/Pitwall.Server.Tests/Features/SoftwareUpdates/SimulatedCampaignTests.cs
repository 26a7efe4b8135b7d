using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>
/// A campaign over 200 simulated cars on the vehicle link (F3): two waves; in the first, five of its twenty cars refuse the image (their
/// hardware is not what the inventory says: <c>refused: wrong_hardware</c> after verifying the signed metadata), which is the error
/// threshold, so the campaign pauses and the second wave gets nothing; resumed, the other 180 cars install it. Each car's documented
/// version is then what it runs.
/// </summary>
public sealed class SimulatedCampaignTests(SignedUpdateServer server) : IClassFixture<SignedUpdateServer>
{
    private const int Cars = 200;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, json.ToString());
        return json;
    }

    private static int Progress(JsonElement campaign, int wave, string what) => campaign.GetProperty("progress")[wave].GetProperty(what).GetInt32();

    /// <summary>Each car asks for its update and carries it out; waits until every one of them closed its action.</summary>
    private static async Task PollAndWaitAsync(UpdateAdmin admin, IEnumerable<(SimulatedVehicle Car, string Vin)> cars)
    {
        await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) =>
        {
            await c.Car.PollForUpdateAsync();
            Assert.Equal("closed", await admin.LastExecutionWhenAsync(c.Vin, e => e == "closed"));
        });
    }

    [Fact]
    public async Task A_two_wave_campaign_over_200_simulated_cars_pauses_at_its_error_threshold_resumes_and_documents_each_cars_version()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var version = $"5.9.{Random.Shared.Next()}";
        byte[] image = [.. System.Text.Encoding.UTF8.GetBytes(version), .. Enumerable.Range(0, 10_000).Select(i => (byte)(i % 19))];
        var (module, _) = await admin.ModuleAsync("telematics", version, "telematics.img", image);
        var setId = (await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/sets",
            new { name = "Telematics fleet fix", version, updateKind = "security", hardwareVariant = "B2", modules = new[] { module } }))).GetProperty("id").GetString()!;

        // 200 cars of one fleet owner, each in the inventory as hardware B2.
        var owner = await server.NewOwnerAsync();
        var owned = new List<OwnedVehicle>();
        for (var i = 0; i < Cars; i++)
        {
            owned.Add(await server.OwnedVehicleAsync(owner: owner));
            await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/targets",
                new { controllerId = owned[^1].Vin, vin = owned[^1].Vin, hardwareVariant = "B2" }));
        }
        var campaign = await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/campaigns",
            new { name = "Telematics fleet fix", setId, type = "forced", targets = owned.Select(o => o.Vin), waves = new[] { 10, 100 }, errorThreshold = 20 }));
        var id = campaign.GetProperty("id").GetString()!;
        Assert.Equal(20, Progress(campaign, 0, "assigned"));

        // The first wave is the 20 cars with an action; five of them are really A1 cars.
        var firstWave = new HashSet<string>(StringComparer.Ordinal);
        foreach (var o in owned)
        {
            if ((await admin.StateAsync(o.Vin)).GetProperty("actions").GetArrayLength() > 0)
            {
                firstWave.Add(o.Vin);
            }
        }
        Assert.Equal(20, firstWave.Count);
        var wrongHardware = firstWave.Order(StringComparer.Ordinal).Take(5).ToHashSet(StringComparer.Ordinal);
        var cars = new List<(SimulatedVehicle Car, string Vin)>();
        try
        {
            foreach (var (o, i) in owned.Select((o, i) => (o, i)))
            {
                var car = new SimulatedVehicle(new SimulatedVehicleOptions
                {
                    Server = server.Client.BaseAddress!, Vin = o.Vin, Secret = o.Secret, Seed = 100 + i, TrustedUpdateRoot = server.Keys.Root(1),
                    HardwareVariant = wrongHardware.Contains(o.Vin) ? "A1" : "B2",
                });
                cars.Add((car, o.Vin));
            }
            await Parallel.ForEachAsync(cars, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (c, _) => await c.Car.ConnectAsync().WaitAsync(Patience));

            await PollAndWaitAsync(admin, cars.Where(c => firstWave.Contains(c.Vin)));
            await server.Get<CampaignJob>().RunOnceAsync(CancellationToken.None);
            campaign = await OkAsync(await admin.Client.GetAsync($"/api/v1/admin/software/campaigns/{id}"));
            Assert.Equal("paused", campaign.GetProperty("state").GetString());
            Assert.Contains("5 of 20", campaign.GetProperty("pausedReason").GetString(), StringComparison.Ordinal);
            Assert.Equal((15, 5, 0), (Progress(campaign, 0, "finished"), Progress(campaign, 0, "failed"), Progress(campaign, 1, "assigned")));
            var refused = (await admin.StateAsync(wrongHardware.First())).GetProperty("actions")[0].GetProperty("history")[0].GetProperty("details")[0].GetString();
            Assert.Equal("refused: wrong_hardware", refused);

            // Paused: a car of the second wave that asks gets nothing.
            var second = cars.First(c => !firstWave.Contains(c.Vin));
            await second.Car.PollForUpdateAsync();
            await second.Car.WaitUntilAllAckedAsync().WaitAsync(Patience);
            Assert.Equal(0, (await admin.StateAsync(second.Vin)).GetProperty("actions").GetArrayLength());

            campaign = await OkAsync(await admin.Client.PostAsync($"/api/v1/admin/software/campaigns/{id}/resume", null));
            Assert.Equal("running", campaign.GetProperty("state").GetString());
            Assert.Equal(180, Progress(campaign, 1, "assigned"));
            await PollAndWaitAsync(admin, cars.Where(c => !firstWave.Contains(c.Vin)));
            await server.Get<CampaignJob>().RunOnceAsync(CancellationToken.None);
            campaign = await OkAsync(await admin.Client.GetAsync($"/api/v1/admin/software/campaigns/{id}"));
            Assert.Equal("finished", campaign.GetProperty("state").GetString());
            Assert.Equal(180, Progress(campaign, 1, "finished"));

            // Documented per car: the 195 that installed run the new version, as Pitwall says; the five refusers still the old one.
            foreach (var (car, vin) in cars)
            {
                var expected = wrongHardware.Contains(vin) ? "5.2.0" : version;
                Assert.Equal(expected, car.InstalledSoftware["telematics"]);
                var documented = (await (await owned[0].Client.GetAsync($"/api/v1/vehicles/{vin}/software")).JsonAsync()).GetProperty("targets")[0];
                Assert.Equal(wrongHardware.Contains(vin) ? JsonValueKind.Null : JsonValueKind.Object, documented.GetProperty("installed").ValueKind);
            }
        }
        finally
        {
            foreach (var (car, _) in cars)
            {
                await car.DisposeAsync();
            }
        }
    }
}
