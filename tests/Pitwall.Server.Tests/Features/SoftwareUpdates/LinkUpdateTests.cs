using System.Net.Http.Headers;
using System.Security.Cryptography;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>Software updates over the vehicle link (F3): the car polls, gets its offer, downloads, installs and reports, on each engine.</summary>
public abstract class LinkUpdateTests(PitwallServer server)
{
    internal static async Task<UpdateOffer> PollAsync(TestCar car, string requestId)
    {
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, UpdatePoll = new UpdatePoll { RequestId = requestId, Installed = { new SoftwareVersion { Component = "infotainment", Version = "1.0.0" } } } });
        await car.WaitForAckAsync(seq);
        while (true)
        {
            // A reconnected car may first get answers to earlier polls again (the link delivers at least once): it skips them.
            var offer = (await car.ReceiveAsync(Envelope.PayloadOneofCase.UpdateOffer)).UpdateOffer;
            if (offer.RequestId == requestId)
            {
                return offer;
            }
        }
    }

    internal static async Task ReportAsync(TestCar car, ulong actionId, string execution, string finished, bool cancel = false)
    {
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope { Seq = seq, UpdateFeedback = new UpdateFeedback { ActionId = actionId, Execution = execution, Finished = finished, Cancel = cancel, Details = { execution } } });
        await car.WaitForAckAsync(seq);
    }

    [Fact]
    public async Task A_car_polls_over_the_link_downloads_its_offer_with_the_token_installs_and_reports_the_new_software()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        byte[] image = [.. Enumerable.Range(0, 50_000).Select(i => (byte)(i % 7))];
        var (moduleId, _) = await admin.ModuleAsync("infotainment", $"2.{Random.Shared.Next()}", "infotainment.img", image);
        var setId = await admin.SetAsync("Infotainment", $"{Random.Shared.Next()}", [moduleId], updateKind: "security");
        var owned = await server.OwnedVehicleAsync();
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings());

        Assert.Equal(0ul, (await PollAsync(car, "start")).ActionId); // nothing yet; the car's own target now exists
        var actionId = await admin.AssignAsync(setId, owned.Vin, "soft");
        var offer = await PollAsync(car, "periodic");
        Assert.Equal((ulong)actionId, offer.ActionId);
        Assert.Equal("security", offer.UpdateKind);
        Assert.False(offer.Forced);
        var file = Assert.Single(offer.Files);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(image)), file.Sha256);

        using var download = new HttpRequestMessage(HttpMethod.Get, file.Path);
        download.Headers.Authorization = new AuthenticationHeaderValue("TargetToken", offer.DownloadToken);
        Assert.Equal(image, await (await server.Client.SendAsync(download)).Content.ReadAsByteArrayAsync());

        await ReportAsync(car, offer.ActionId, "proceeding", "none");
        await ReportAsync(car, offer.ActionId, "closed", "success");
        var software = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/software")).JsonAsync()).GetProperty("targets")[0];
        Assert.Equal("Infotainment", software.GetProperty("installed").GetProperty("name").GetString());
        Assert.Equal("finished", software.GetProperty("history")[0].GetProperty("status").GetString());
        Assert.Equal(0ul, (await PollAsync(car, "after")).ActionId);
    }

    [Fact]
    public async Task A_cancellation_reaches_the_car_and_a_car_with_the_service_switched_off_is_told_why()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (moduleId, _) = await admin.ModuleAsync("maps", $"3.{Random.Shared.Next()}", "maps.bin", [9, 9, 9]);
        var setId = await admin.SetAsync("Maps", $"{Random.Shared.Next()}", [moduleId]);
        var owned = await server.OwnedVehicleAsync();
        await using (var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings()))
        {
            await PollAsync(car, "start");
            var actionId = await admin.AssignAsync(setId, owned.Vin, "forced");
            Assert.True((await PollAsync(car, "p1")).Forced);
            await admin.Client.PostAsync($"/api/v1/admin/software/actions/{actionId}/cancel", null);
            var cancel = await PollAsync(car, "p2");
            Assert.True(cancel.Cancel);
            await ReportAsync(car, cancel.ActionId, "closed", "success", cancel: true);
            Assert.Equal("canceled", (await admin.StateAsync(owned.Vin)).GetProperty("actions")[0].GetProperty("status").GetString());
        }
        await using var off = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: 5000, // later than the first connection's
            privacy: new PrivacySettings { NonLocationServicesDisabled = true });
        Assert.Equal("service_disabled", (await PollAsync(off, "p3")).Unavailable);
    }
}

public sealed class LinkUpdatesOnSqlite(UpdateSqliteServer server) : LinkUpdateTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class LinkUpdatesOnPostgres(UpdatePostgresServer server) : LinkUpdateTests(server), IClassFixture<UpdatePostgresServer>;
