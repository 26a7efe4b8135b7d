using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>Dealers and their staff as an administrator sets them up through the admin API, and times a dealer is open.</summary>
internal sealed class DealerSetup(PitwallServer server)
{
    private HttpClient? _admin;

    public async Task<HttpClient> AdminAsync()
    {
        if (_admin is null)
        {
            var email = $"admin-{Guid.NewGuid():N}@example.com";
            await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
            _admin = server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
        }
        return _admin;
    }

    /// <summary>A dealer open Monday to Friday 08:00–18:00 Berlin time, at the position given.</summary>
    public async Task<string> DealerAsync(string name, double latitude = 48.80, double longitude = 9.18)
    {
        var id = $"test-{Guid.NewGuid():N}"[..20];
        var created = await (await AdminAsync()).PostAsJsonAsync("/api/v1/admin/dealers", new
        {
            id, name, street = "Teststraße 1", postalCode = "70173", city = "Stuttgart", country = "DE", latitude, longitude,
            phone = "+49 711 5550000", timeZone = "Europe/Berlin",
            openingHours = new[] { new { days = new[] { 1, 2, 3, 4, 5 }, opens = "08:00", closes = "18:00" } },
            services = new[] { "maintenance", "repair" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return id;
    }

    /// <summary>A staff account of the dealer, signed in.</summary>
    public async Task<(HttpClient Client, string AccountId)> StaffAsync(string dealerId)
    {
        var email = $"dealer-{Guid.NewGuid():N}@example.com";
        var created = await (await AdminAsync()).PostAsJsonAsync($"/api/v1/admin/dealers/{dealerId}/staff", new { email, name = "Dana Dealer", password = "a dealer password" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var accountId = (await created.JsonAsync()).GetProperty("accountId").GetString()!;
        return (server.ClientWith((await server.SignInAsync(email, "a dealer password")).AccessToken), accountId);
    }

    /// <summary>A start at <paramref name="hour"/>:00 Berlin time on a weekday at least <paramref name="days"/> days after the server's now.</summary>
    public DateTimeOffset Weekday(int days, int hour = 10)
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = TimeZoneInfo.ConvertTime(server.Clock.GetUtcNow(), berlin).Date.AddDays(days);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            day = day.AddDays(1);
        }
        var local = day.AddHours(hour);
        return new DateTimeOffset(local, berlin.GetUtcOffset(local)).ToUniversalTime();
    }

    public static async Task<JsonElement[]> InboxAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/me/notifications")).JsonAsync()).EnumerateArray()];
}
