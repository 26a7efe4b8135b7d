using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Web;

/// <summary>Administrators edit and disable accounts in the admin pages, in Debian's Chromium.</summary>
public sealed class AdminUsersPortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    private async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await browser.NewPageAsync(server);
        await page.GotoAsync("/signin");
        await page.Locator("#Email").FillAsync(email);
        await page.Locator("#Password").FillAsync(password);
        await page.Locator("main button[type=submit]").ClickAsync();
        return page;
    }

    [Fact]
    public async Task An_administrator_finds_a_user_by_a_name_fragment_renames_and_disables_them_and_the_user_is_signed_out_until_enabled()
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        var (ownerId, ownerEmail) = await server.CreateStaffAsync("owner", $"Quirin Quellenbach {tag}");
        var ownerPage = await SignInAsync(ownerEmail, StaffPassword);
        await Expect(ownerPage).ToHaveURLAsync(new Regex("/vehicles$"));

        var (adminId, adminEmail) = await server.CreateStaffAsync("admin", "Ada Admin");
        var admin = await SignInAsync(adminEmail, StaffPassword);
        await Expect(admin).ToHaveURLAsync(new Regex("/admin$"));
        await admin.GotoAsync("/admin/users");
        await admin.GetByLabel("Find an account").FillAsync($"quellenbach {tag}");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Find", Exact = true }).ClickAsync();
        await Expect(admin.Locator("#user-count")).ToHaveTextAsync("1 accounts");
        await admin.Locator($"#user-list tr[data-account='{ownerId}'] a").ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex($"/admin/users/{ownerId}$"));

        // Renamed and disabled: the user's open session ends at once, and signing in is refused with the reason.
        await admin.GetByLabel("Name").FillAsync("");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#name-error")).Not.ToBeEmptyAsync();
        await admin.GetByLabel("Name").FillAsync($"Quirin Q. {tag}");
        await admin.GetByLabel("Account disabled").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#message")).ToHaveTextAsync("Saved. The account is disabled: it cannot sign in.");
        await Expect(admin.Locator("#account-state")).ToContainTextAsync("disabled since");
        await Expect(admin.GetByLabel("Name")).ToHaveValueAsync($"Quirin Q. {tag}");
        await PortalBrowser.ScreenshotAsync(admin, "admin-user-disabled");

        await ownerPage.GotoAsync("/vehicles");
        await Expect(ownerPage).ToHaveURLAsync(new Regex("/signin"));
        var again = await SignInAsync(ownerEmail, StaffPassword);
        await Expect(again.Locator("[role=alert]").First).ToContainTextAsync("This account is disabled; ask an administrator.");

        // An administrator cannot lock themselves out; the reason stands next to the form.
        await admin.GotoAsync($"/admin/users/{adminId}");
        await admin.GetByLabel("Account disabled").CheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#user-error")).ToHaveTextAsync("You cannot disable your own account or take away its admin role; another administrator can.");

        // Enabled again: the user signs in.
        await admin.GotoAsync("/admin/users?q=" + tag);
        await Expect(admin.Locator($"#user-list tr[data-account='{ownerId}']")).ToHaveAttributeAsync("data-disabled", "true");
        await admin.GotoAsync($"/admin/users/{ownerId}");
        await admin.GetByLabel("Account disabled").UncheckAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(admin.Locator("#account-state")).ToHaveTextAsync("active");
        var back = await SignInAsync(ownerEmail, StaffPassword);
        await Expect(back).ToHaveURLAsync(new Regex("/vehicles$"));
    }
}
