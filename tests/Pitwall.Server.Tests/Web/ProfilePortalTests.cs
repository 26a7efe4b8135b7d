using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pitwall.Server.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Pitwall.Server.Tests.Web;

/// <summary>Issue 18, owners: the password and the phone numbers are changed in the profile (the PIN: <see cref="RemotePinPortalTests"/>).</summary>
public sealed class ProfilePortalTests(PortalServer server, PortalBrowser browser) : IClassFixture<PortalServer>, IClassFixture<PortalBrowser>
{
    [Fact]
    public async Task The_owner_keeps_phone_numbers_as_people_write_them_and_a_wrong_one_is_shown_at_the_field_with_what_was_typed()
    {
        var owner = await server.NewOwnerAsync();
        var page = await browser.SignedInPageAsync(server, owner);
        await page.GotoAsync("/profile");

        var phones = page.GetByLabel("Phone numbers (one a line, with the country code, e.g. +49 711 1234567)");
        await phones.FillAsync("+49 711 123-4567\n0711 999");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page.Locator("#phonenumbers-error")).ToHaveTextAsync("Phone numbers are in international E.164 form, e.g. +4971112345678.");
        await Expect(phones).ToHaveValueAsync("+49 711 123-4567\n0711 999");

        await phones.FillAsync("+49 711 123-4567\n+33 (1) 23 45 67 89");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/profile\\?saved=true$"));
        await Expect(phones).ToHaveValueAsync("+497111234567\n+33123456789");
        var me = await server.ClientWith(owner.AccessToken).GetFromJsonAsync<JsonElement>("/api/v1/me");
        Assert.Equal(["+497111234567", "+33123456789"], me.GetProperty("phoneNumbers").EnumerateArray().Select(n => n.GetString()));
    }

    [Fact]
    public async Task The_owner_changes_the_password_with_the_current_one_stays_signed_in_and_signs_in_with_the_new_one()
    {
        var owner = await server.NewOwnerAsync();
        var page = await browser.SignedInPageAsync(server, owner);
        await page.GotoAsync("/profile");
        var form = page.Locator("#password-form");

        async Task ChangeAsync(string current, string password, string again)
        {
            await form.GetByLabel("Current password").FillAsync(current);
            await form.GetByLabel("New password (at least 10 characters)").FillAsync(password);
            await form.GetByLabel("The new password again").FillAsync(again);
            await form.GetByRole(AriaRole.Button, new() { Name = "Change the password" }).ClickAsync();
        }

        await ChangeAsync("not my password", "a much better one", "a much better one");
        await Expect(page.Locator("#oldpassword-error")).ToHaveTextAsync("The current password is wrong.");
        await ChangeAsync(owner.Password, "short", "short");
        await Expect(page.Locator("#newpassword-error")).ToHaveTextAsync("The password needs at least 10 characters.");
        await ChangeAsync(owner.Password, "a much better one", "a much better two");
        await Expect(page.Locator("#repeatpassword-error")).ToHaveTextAsync("The two passwords differ; type the same password twice.");
        await ChangeAsync(owner.Password, "a much better one", "a much better one");
        await Expect(page.Locator("#password-changed")).ToBeVisibleAsync();

        // This session stays; the app's session (the API's refresh token) has ended; the new password signs in.
        await page.GotoAsync("/vehicles");
        await Expect(page).ToHaveURLAsync(new Regex("/vehicles$"));
        var refresh = await server.Client.PostAsync("/api/v1/auth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token", ["refresh_token"] = owner.RefreshToken,
        }));
        Assert.False(refresh.IsSuccessStatusCode);
        await browser.SignedInPageAsync(server, owner with { Password = "a much better one" });
    }

    [Fact]
    public async Task The_profile_speaks_German()
    {
        var owner = await server.NewOwnerAsync();
        var page = await browser.SignedInPageAsync(server, owner, "de-DE");
        await page.Context.AddCookiesAsync([new Cookie { Name = ".AspNetCore.Culture", Value = "c=de|uic=de", Url = server.Client.BaseAddress!.ToString() }]);
        await page.GotoAsync("/profile");
        await Expect(page.Locator("#password-form")).ToContainTextAsync("Aktuelles Passwort");
        await Expect(page.GetByLabel("Telefonnummern (eine je Zeile, mit Ländervorwahl, z. B. +49 711 1234567)")).ToBeVisibleAsync();
        await PortalBrowser.ScreenshotAsync(page, "owner-profile-de");
    }
}
