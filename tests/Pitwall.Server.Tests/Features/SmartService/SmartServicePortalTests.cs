using System.Net;
using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Features.Privacy;

namespace Pitwall.Server.Tests.Features.SmartService;

/// <summary>The portal's Smart Service page over HTTP (a signed-in portal session): the components with their prediction, the
/// fault memory and a chart per component, in the reader's language; nothing for another account's car.</summary>
public sealed partial class SmartServicePortalTests(SmartServiceSqliteServer server) : IClassFixture<SmartServiceSqliteServer>
{
    /// <summary>The page in <paramref name="language"/>: the session's cookies with the language cookie the portal's switch sets.</summary>
    private static async Task<string> PageAsync(PortalSession session, string path, string language = "en")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        var culture = $".AspNetCore.Culture={Uri.EscapeDataString($"c={language}|uic={language}")}";
        request.Headers.TryAddWithoutValidation("Cookie",
            string.Join("; ", session.Cookies.Split("; ").Where(c => !c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal)).Append(culture)));
        var response = await session.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task The_owner_sees_each_component_with_its_prediction_and_chart_and_the_fault_with_its_recommendation_in_their_language()
    {
        var owned = await server.OwnedVehicleAsync("911", 2024);
        using (var before = await PortalSession.SignInAsync(server, owned.Owner))
        {
            Assert.Contains("has not sent a service log yet", await PageAsync(before, $"/vehicles/{owned.Vin}/service"), StringComparison.Ordinal);
        }

        await using var car = await WornCar.DriveAsync(server, owned, days: 5);

        using var session = await PortalSession.SignInAsync(server, owned.Owner); // the clock moved by days: a fresh session
        var html = await PageAsync(session, $"/vehicles/{owned.Vin}/service");
        Assert.Contains("aria-current=\"page\">Smart Service</a>", html, StringComparison.Ordinal);
        var pads = Row().Matches(html).Single(m => m.Groups["id"].Value == "brake_pads_front").Value;
        Assert.Contains("Brake pads (front)", pads, StringComparison.Ordinal);
        Assert.Contains("<time datetime=", pads, StringComparison.Ordinal); // a predicted date
        Assert.Matches(@"at [\d,]+ km", pads); // and mileage
        Assert.Matches(@"\d+ reports; the trend", pads); // the data it rests on
        var chart = Chart().Matches(html).Single(m => m.Groups["id"].Value == "brake_pads_front");
        Assert.True(int.Parse(chart.Groups["points"].Value, System.Globalization.CultureInfo.InvariantCulture) >= 4, chart.Value);
        Assert.Contains("<polyline class=\"line\"", html, StringComparison.Ordinal);
        Assert.Contains("<title id=\"chart-brake_pads_front-title\">Brake pads (front) over time</title>", html, StringComparison.Ordinal);
        Assert.Contains("data-code=\"P0301\"", html, StringComparison.Ordinal);
        Assert.Contains("Cylinder 1 Misfire Detected", html, StringComparison.Ordinal);
        Assert.Contains("avoid high engine load and have the ignition system checked soon.", html, StringComparison.Ordinal);

        var german = WebUtility.HtmlDecode(await PageAsync(session, $"/vehicles/{owned.Vin}/service", "de"));
        Assert.Contains("Bremsbeläge (vorn)", german, StringComparison.Ordinal);
        Assert.Contains("Fehlerspeicher", german, StringComparison.Ordinal);
        Assert.Contains("die Zündanlage bald prüfen lassen", german, StringComparison.Ordinal);
        var french = WebUtility.HtmlDecode(await PageAsync(session, $"/vehicles/{owned.Vin}/service", "fr"));
        Assert.Contains("Plaquettes de frein (avant)", french, StringComparison.Ordinal);

        var stranger = await server.OwnedVehicleAsync();
        using var other = await PortalSession.SignInAsync(server, stranger.Owner);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/vehicles/{owned.Vin}/service")).StatusCode);
    }

    [GeneratedRegex("<tr data-component=\"(?<id>[a-z0-9_]+)\".*?</tr>", RegexOptions.Singleline)]
    private static partial Regex Row();

    [GeneratedRegex("<svg class=\"chart\" id=\"chart-(?<id>[a-z0-9_]+)\"[^>]*data-points=\"(?<points>\\d+)\"")]
    private static partial Regex Chart();
}
