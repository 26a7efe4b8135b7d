using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.SmartService;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Notifications;

/// <summary>A notification is stored as its feature's template and arguments and read in the reader's language, with its
/// numbers in the reader's format and its dates in the account's time zone; rows from before templates read as they were.</summary>
public abstract class NotificationLanguageTests(PitwallServer server)
{
    /// <summary>Late on 1 March in UTC is 2 March in Berlin.</summary>
    private static readonly DateTimeOffset DueAt = new(2026, 3, 1, 23, 30, 0, TimeSpan.Zero);

    private Task NotifyAsync(string vin, string key) =>
        server.Get<Database>().WriteAsync((c, t) => server.Get<INotifier>().NotifyAsync(c, t, new Notification(
            vin, SmartServiceNotifications.MaintenanceDue.Id,
            NotificationText.Of(SmartServiceNotifications.DueByOrAt,
                ("component", "Brake pads (front)"), ("state", "due soon"), ("dueAt", DueAt), ("odometerKm", 12345)),
            server.Clock.GetUtcNow(), key)), CancellationToken.None);

    private static async Task<JsonElement> ReadAsync(HttpClient client, string? language)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/me/notifications");
        if (language is not null)
        {
            request.Headers.AcceptLanguage.ParseAdd(language);
        }
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single((await response.JsonAsync()).EnumerateArray().ToList());
    }

    [Fact]
    public async Task One_notification_reads_in_English_German_and_French_with_the_readers_numbers_and_the_accounts_time_zone()
    {
        var owned = await server.OwnedVehicleAsync();
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { timeZone = "Europe/Berlin" })).StatusCode);
        await NotifyAsync(owned.Vin, "languages-1");

        var english = await ReadAsync(owned.Client, null); // the account's language: English by default
        Assert.Equal("Brake pads (front): maintenance due soon, predicted by 2026-03-02 or at 12,345 km.", english.GetProperty("message").GetString());
        Assert.Equal("Maintenance due", english.GetProperty("title").GetString());
        Assert.Equal("notification:service.due_by_or_at", english.GetProperty("template").GetString());
        var args = english.GetProperty("args");
        Assert.Equal(("Brake pads (front)", 12345), (args.GetProperty("component").GetString(), args.GetProperty("odometerKm").GetInt32()));
        Assert.Equal(DueAt, args.GetProperty("dueAt").GetDateTimeOffset());

        var german = await ReadAsync(owned.Client, "de-DE,de;q=0.9");
        Assert.Equal("Bremsbeläge (vorn): Wartung bald fällig, voraussichtlich bis 2026-03-02 oder bei 12.345 km.", german.GetProperty("message").GetString());
        Assert.Equal("Wartung fällig", german.GetProperty("title").GetString());
        var french = await ReadAsync(owned.Client, "fr");
        Assert.Equal("Plaquettes de frein (avant) : entretien bientôt à faire, prévu d'ici le 2026-03-02 ou à 12\u202F345 km.",
            french.GetProperty("message").GetString());

        // Without Accept-Language, or asking for a language the portal does not speak, the account's language counts.
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PatchAsJsonAsync("/api/v1/me", new { locale = "fr-CH" })).StatusCode);
        Assert.StartsWith("Plaquettes de frein (avant)", (await ReadAsync(owned.Client, null)).GetProperty("message").GetString());
        Assert.StartsWith("Plaquettes de frein (avant)", (await ReadAsync(owned.Client, "it")).GetProperty("message").GetString());
        Assert.StartsWith("Brake pads (front)", (await ReadAsync(owned.Client, "en-US")).GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_notification_stored_before_templates_reads_as_its_English_message_in_every_language()
    {
        var owned = await server.OwnedVehicleAsync();
        await NotifyAsync(owned.Vin, "languages-old");
        await server.Get<Database>().WriteAsync((c, t) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE notifications SET template = NULL, args = NULL, message = 'Written before templates.' WHERE account_id = @id",
            new { id = owned.AccountId }, t), CancellationToken.None);

        var german = await ReadAsync(owned.Client, "de");
        Assert.Equal("Written before templates.", german.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, german.GetProperty("template").ValueKind);
    }
}

public sealed class NotificationLanguageOnSqlite(SqliteServer server) : NotificationLanguageTests(server), IClassFixture<SqliteServer>;

public sealed class NotificationLanguageOnPostgres(PostgresServer server) : NotificationLanguageTests(server), IClassFixture<PostgresServer>;
