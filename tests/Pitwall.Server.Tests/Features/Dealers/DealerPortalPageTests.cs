using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>The owner's dealer page and the dealer console's pages over HTTP (signed-in portal sessions, forms with their
/// anti-forgery token): the same rules as the API.</summary>
public sealed partial class DealerPortalPageTests(SqliteServer server) : IClassFixture<SqliteServer>
{
    private readonly DealerSetup _setup = new(server);

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryToken();

    private static async Task<string> PageAsync(PortalSession session, string path)
    {
        var response = await session.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Posts a form of the page at <paramref name="page"/> (its token) to <paramref name="action"/>; the answer is a redirect.</summary>
    private static async Task<string> PostAsync(PortalSession session, string page, string action, Dictionary<string, string> fields)
    {
        var html = await (await session.GetAsync(page)).Content.ReadAsStringAsync();
        fields["__RequestVerificationToken"] = AntiforgeryToken().Match(html).Groups[1].Value;
        var response = await session.SendAsync(new HttpRequestMessage(HttpMethod.Post, action) { Content = new FormUrlEncodedContent(fields) });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response.Headers.Location!.OriginalString;
    }

    private async Task<PortalSession> StaffSessionAsync(string dealerId)
    {
        var email = $"staff-{Guid.NewGuid():N}@example.com";
        (await (await _setup.AdminAsync()).PostAsJsonAsync($"/api/v1/admin/dealers/{dealerId}/staff",
            new { email, name = "Sam Service", password = "a dealer password" })).EnsureSuccessStatusCode();
        return await PortalSession.SignInAsync(server, new TestUser(email, "a dealer password", "", ""));
    }

    [Fact]
    public async Task The_dealer_proposes_a_time_in_its_console_the_owner_accepts_on_the_dealer_page_and_downloads_the_calendar_file()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Autohaus Formular");
        var booked = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/appointments",
            new { dealerId, slots = new[] { _setup.Weekday(3) }, reason = "Brake noise" });
        var id = (await booked.JsonAsync()).GetProperty("id").GetString()!;

        using var dealer = await StaffSessionAsync(dealerId);
        Assert.Contains($"data-appointment=\"{id}\" data-state=\"requested\"", await PageAsync(dealer, "/dealer"), StringComparison.Ordinal);
        var proposed = _setup.Weekday(5, 15);
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        Assert.Equal("/dealer", await PostAsync(dealer, "/dealer", $"/dealer?handler=Propose&id={id}", new()
        {
            ["StartsAt"] = TimeZoneInfo.ConvertTime(proposed, berlin).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), ["Note"] = "Friday works better",
        }));
        var console = await PageAsync(dealer, "/dealer");
        Assert.Contains($"data-appointment=\"{id}\" data-state=\"proposed\"", console, StringComparison.Ordinal);
        Assert.Contains("The appointment is proposed; the owner is told.", console, StringComparison.Ordinal);
        Assert.Contains("id=\"dealer-health\"", await PageAsync(dealer, $"/dealer/vehicles/{owned.Vin}"), StringComparison.Ordinal);

        using var owner = await PortalSession.SignInAsync(server, owned.Owner);
        var page = await PageAsync(owner, $"/vehicles/{owned.Vin}/dealer");
        Assert.Contains("Friday works better", page, StringComparison.Ordinal);
        Assert.Matches(@">\s*Service appointment</textarea>", page); // nothing is due: the default reason
        Assert.Equal($"/vehicles/{owned.Vin}/dealer", await PostAsync(owner, $"/vehicles/{owned.Vin}/dealer",
            $"/vehicles/{owned.Vin}/dealer?handler=Accept&id={id}", []));
        Assert.Contains($"data-appointment=\"{id}\" data-state=\"confirmed\"", await PageAsync(owner, $"/vehicles/{owned.Vin}/dealer"), StringComparison.Ordinal);
        var calendar = await owner.GetAsync($"/vehicles/{owned.Vin}/dealer?handler=Calendar&id={id}");
        Assert.Equal(("text/calendar", $"appointment-{id}.ics"), (calendar.Content.Headers.ContentType?.MediaType, calendar.Content.Headers.ContentDisposition?.FileName));
        var ics = (await calendar.Content.ReadAsStringAsync()).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.Contains($"DTSTART:{proposed.UtcDateTime:yyyyMMdd'T'HHmmss}Z", ics, StringComparison.Ordinal);
        Assert.Contains("id=\"dealer-reads\"", await PageAsync(owner, $"/vehicles/{owned.Vin}/dealer"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_console_opens_no_car_of_another_dealer_and_no_owner_opens_the_console_or_another_owners_dealer_page()
    {
        var owned = await server.OwnedVehicleAsync();
        var chosen = await _setup.DealerAsync("Autohaus Gewählt");
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId = chosen })).StatusCode);

        using var mine = await StaffSessionAsync(chosen);
        Assert.Equal(HttpStatusCode.OK, (await mine.GetAsync($"/dealer/vehicles/{owned.Vin}")).StatusCode);
        using var other = await StaffSessionAsync(await _setup.DealerAsync("Autohaus Anders"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/dealer/vehicles/{owned.Vin}")).StatusCode);

        using var owner = await PortalSession.SignInAsync(server, owned.Owner);
        Assert.NotEqual(HttpStatusCode.OK, (await owner.GetAsync("/dealer")).StatusCode);
        var stranger = await server.OwnedVehicleAsync();
        using var strangerSession = await PortalSession.SignInAsync(server, stranger.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await strangerSession.GetAsync($"/vehicles/{owned.Vin}/dealer")).StatusCode);
    }
}
