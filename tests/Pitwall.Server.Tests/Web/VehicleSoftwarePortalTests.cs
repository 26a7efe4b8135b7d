using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Microsoft.Playwright;
using Pitwall.Protocol.Updates;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Features.SoftwareUpdates;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>One car's software for administrators (F3), in Debian's Chromium: from the car's admin page to what it runs, its last
/// signed manifest, every update with its steps, and the campaign it is in; in English and German; and the owner's view of the manifest.</summary>
public sealed class VehicleSoftwarePortalTests(UpdateSqliteServer server, PortalBrowser browser) : IClassFixture<UpdateSqliteServer>, IClassFixture<PortalBrowser>
{
    private async Task<IPage> AdminPageAsync(string? language = null)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Admin", "admin", "an admin password", CancellationToken.None);
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync("an admin password");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Expect(page.Locator("a[href='/admin']").First).ToBeVisibleAsync();
        if (language is not null)
        {
            // As the language menu sets it, after signing in (which sets the account's own choice).
            await page.Context.AddCookiesAsync(
                [new Microsoft.Playwright.Cookie { Name = ".AspNetCore.Culture", Value = $"c={language}|uic={language}", Url = server.Client.BaseAddress!.ToString() }]);
        }
        return page;
    }

    [Fact]
    public async Task An_administrator_sees_per_car_the_installed_release_the_last_manifest_the_update_steps_and_the_campaign_state()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var version = $"8.{Random.Shared.Next(1000, 9999)}";
        var (moduleId, artifact) = await admin.ModuleAsync("body-controller", version, "bcm.bin", [7, 7, 7, 7]);
        var setId = await admin.SetAsync("Body controller", version, [moduleId], updateKind: "maintenance");
        var owned = await server.OwnedVehicleAsync();
        using var car = admin.Controller(await admin.TargetAsync(owned.Vin, owned.Vin));
        var campaign = $"Body controller {version}";
        await UpdateAdmin.CreatedAsync(await admin.Client.PostAsJsonAsync("/api/v1/admin/software/campaigns",
            new { name = campaign, setId, targets = new[] { owned.Vin }, waves = new[] { 100 } }));

        // The car's update client: it takes the deployment, installs it, reports, and signs a manifest of what it runs now.
        var href = (await (await car.GetAsync($"/DEFAULT/controller/v1/{owned.Vin}")).JsonAsync()).GetProperty("_links").GetProperty("deploymentBase")
            .GetProperty("href").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await car.GetAsync(href)).StatusCode);
        var feedback = href[..href.IndexOf('?', StringComparison.Ordinal)] + "/feedback";
        Assert.Equal(HttpStatusCode.OK, (await car.PostAsJsonAsync(feedback,
            new { status = new { execution = "proceeding", result = new { finished = "none", progress = new { cnt = 1, of = 2 } }, details = new[] { "Flashing the body controller" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await car.PostAsJsonAsync(feedback, new { status = new { execution = "closed", result = new { finished = "success" } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await car.PutAsJsonAsync($"/DEFAULT/controller/v1/{owned.Vin}/configData", new { data = new { bootloader = "u-boot 2024.01" } })).StatusCode);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var manifest = VehicleManifests.Sign(key, owned.Vin, server.Get<TimeProvider>().GetUtcNow(),
            [new InstalledImage("body-controller", version, artifact.GetProperty("sha256").GetString()!, 4)]);
        using (var body = new StringContent(manifest, System.Text.Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.NoContent, (await car.PutAsync($"/DEFAULT/controller/v1/{owned.Vin}/manifest", body)).StatusCode);
        }

        var page = await AdminPageAsync();
        await page.GotoAsync($"/admin/vehicles/{owned.Vin}");
        await page.GetByRole(AriaRole.Link, new() { Name = "Software updates of this car" }).ClickAsync();
        var target = page.Locator($"section.target[data-target='{owned.Vin}']");
        await Expect(target.Locator("dl.installed")).ToContainTextAsync($"Body controller {version}, since");
        await Expect(target.Locator("p.manifest")).ToContainTextAsync("Signed by the car on");
        await Expect(target.Locator("table.components tr[data-component='body-controller']")).ToContainTextAsync(version);
        var update = target.Locator("table.history tr[data-status='finished']");
        await Expect(update).ToContainTextAsync($"Body controller {version}");
        await Expect(update.Locator("td.status")).ToHaveTextAsync("Installed");
        await update.Locator("summary").ClickAsync();
        await Expect(update.Locator("li[data-execution='proceeding']")).ToContainTextAsync("1/2: Flashing the body controller");
        await Expect(update.Locator("li[data-execution='closed']")).ToContainTextAsync("closed (success)");
        var membership = target.Locator($"ul.campaigns li[data-campaign='{campaign}']");
        await Expect(membership.Locator(".state")).ToHaveTextAsync("Running");
        await Expect(membership).ToContainTextAsync("in wave 1; the campaign is at wave 1 of 1");
        await Expect(target.Locator("dl.attributes")).ToContainTextAsync("u-boot 2024.01");
        await PortalBrowser.ScreenshotAsync(page, "admin-vehicle-software");

        var german = await AdminPageAsync("de");
        await german.GotoAsync($"/admin/vehicles/{owned.Vin}/software");
        await Expect(german.Locator("h3").Last).ToHaveTextAsync("Vom Gerät gemeldete Attribute");
        await Expect(german.Locator($"section.target[data-target='{owned.Vin}'] td.status")).ToHaveTextAsync("Installiert");
        var stranger = await german.GotoAsync("/admin/vehicles/WP0ZZZ00000000000/software");
        Assert.Equal(404, stranger!.Status);

        // The owner reads on the car's software page what the car last reported it runs.
        var owner = await browser.SignedInPageAsync(server, owned.Owner);
        await owner.GotoAsync($"/vehicles/{owned.Vin}/software");
        var reported = owner.Locator("details.reported");
        await Expect(reported.Locator("summary")).ToContainTextAsync("What the car reported it runs, signed on");
        await reported.Locator("summary").ClickAsync();
        await Expect(reported.Locator("li[data-component='body-controller']")).ToHaveTextAsync($"body-controller {version}");
    }
}
