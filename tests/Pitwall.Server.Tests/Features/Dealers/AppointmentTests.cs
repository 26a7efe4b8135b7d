using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Features.Dealers;

/// <summary>Service appointments and the dealer console (F1) end to end through the API, on each engine.</summary>
public abstract class AppointmentTests(PitwallServer server)
{
    private readonly DealerSetup _setup = new(server);

    private static async Task<JsonElement> BookAsync(OwnedVehicle owned, object request)
    {
        var booked = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/appointments", request);
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);
        return await booked.JsonAsync();
    }

    [Fact]
    public async Task The_owner_books_the_dealer_confirms_and_the_owner_gets_the_calendar_file_and_both_sides_are_told()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Autohaus Test Mitte");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        var first = _setup.Weekday(3);
        var second = _setup.Weekday(4, 14);

        var booked = await BookAsync(owned, new { dealerId, slots = new[] { second, first }, reason = "Brake noise at the front" });
        Assert.Equal("requested", booked.GetProperty("state").GetString());
        Assert.Equal("app", booked.GetProperty("channel").GetString());
        Assert.Equal([first, second], booked.GetProperty("requestedSlots").EnumerateArray().Select(s => s.GetDateTimeOffset()));
        var id = booked.GetProperty("id").GetString()!;
        Assert.Contains(await DealerSetup.InboxAsync(dealer), n => n.GetProperty("type").GetString() == "appointment.requested" && n.GetProperty("vin").GetString() == owned.Vin);

        var listed = (await (await dealer.GetAsync("/api/v1/dealer/appointments?open=true")).JsonAsync()).EnumerateArray().ToList();
        var mine = Assert.Single(listed, a => a.GetProperty("id").GetString() == id);
        Assert.Equal("Brake noise at the front", mine.GetProperty("reason").GetString());
        await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/calendar")).AssertProblemAsync(HttpStatusCode.Conflict, "appointment_state_conflict");

        var confirmed = await (await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/confirm", new { startsAt = second, durationMinutes = 90, note = "Please bring the wheel lock" })).JsonAsync();
        Assert.Equal("confirmed", confirmed.GetProperty("state").GetString());
        Assert.Equal(second, confirmed.GetProperty("startsAt").GetDateTimeOffset());
        var told = Assert.Single(await DealerSetup.InboxAsync(owned.Client), n => n.GetProperty("type").GetString() == "appointment.confirmed");
        Assert.Contains("Autohaus Test Mitte confirmed", told.GetProperty("message").GetString());

        var calendar = await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/calendar");
        Assert.Equal(HttpStatusCode.OK, calendar.StatusCode);
        Assert.Equal("text/calendar", calendar.Content.Headers.ContentType!.MediaType);
        var ics = (await calendar.Content.ReadAsStringAsync()).Replace("\r\n ", "", StringComparison.Ordinal);
        Assert.StartsWith("BEGIN:VCALENDAR", ics);
        Assert.Contains($"UID:{id}@appointments.pitwall", ics);
        Assert.Contains($"DTSTART:{second.UtcDateTime:yyyyMMdd'T'HHmmss}Z", ics);
        Assert.Contains($"DTEND:{second.AddMinutes(90).UtcDateTime:yyyyMMdd'T'HHmmss}Z", ics);
        Assert.Contains("STATUS:CONFIRMED", ics);
        Assert.Contains("LOCATION:Autohaus Test Mitte\\, Teststraße 1\\, 70173 Stuttgart\\, DE", ics);

        // The dealer marks the visit done; a done appointment moves no more.
        Assert.Equal("completed", (await (await dealer.PostAsync($"/api/v1/dealer/appointments/{id}/complete", null)).JsonAsync()).GetProperty("state").GetString());
        await (await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "appointment_state_conflict");
    }

    [Fact]
    public async Task The_dealer_proposes_another_time_and_the_owner_accepts_it_each_move_only_from_its_state()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Werkstatt Vorschlag");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        var id = (await BookAsync(owned, new { dealerId, slots = new[] { _setup.Weekday(2) } })).GetProperty("id").GetString()!;

        await (await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict, "appointment_state_conflict");
        await (await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/propose", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/confirm", new { startsAt = _setup.Weekday(9) })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var proposedAt = _setup.Weekday(6, 9);
        var proposed = await (await dealer.PostAsJsonAsync($"/api/v1/dealer/appointments/{id}/propose", new { startsAt = proposedAt, note = "Fully booked that day" })).JsonAsync();
        Assert.Equal("proposed", proposed.GetProperty("state").GetString());
        Assert.Contains(await DealerSetup.InboxAsync(owned.Client), n => n.GetProperty("type").GetString() == "appointment.proposed");
        var tentative = await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/calendar")).Content.ReadAsStringAsync();
        Assert.Contains("STATUS:TENTATIVE", tentative);

        var accepted = await (await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/accept", null)).JsonAsync();
        Assert.Equal("confirmed", accepted.GetProperty("state").GetString());
        Assert.Equal(proposedAt, accepted.GetProperty("startsAt").GetDateTimeOffset());
        Assert.Contains(await DealerSetup.InboxAsync(dealer), n => n.GetProperty("type").GetString() == "appointment.confirmed");
        await (await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/appointments/{id}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict, "appointment_state_conflict");
        await (await dealer.PostAsync($"/api/v1/dealer/appointments/{id}/decline", null)).AssertProblemAsync(HttpStatusCode.Conflict, "appointment_state_conflict");

        // Another dealer and another owner see no such appointment.
        var (other, _) = await _setup.StaffAsync(await _setup.DealerAsync("Andere Werkstatt"));
        await (await other.PostAsync($"/api/v1/dealer/appointments/{id}/complete", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var stranger = await server.OwnedVehicleAsync();
        await (await stranger.Client.GetAsync($"/api/v1/vehicles/{stranger.Vin}/appointments/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Bad_requests_are_problems_with_stable_codes()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Werkstatt Regeln");
        var path = $"/api/v1/vehicles/{owned.Vin}/appointments";

        await (await owned.Client.PostAsJsonAsync(path, new { slots = new[] { _setup.Weekday(2) } })).AssertProblemAsync(HttpStatusCode.Conflict, "no_preferred_dealer");
        var past = await (await owned.Client.PostAsJsonAsync(path, new { dealerId, slots = new[] { server.Clock.GetUtcNow().AddHours(-2) } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(past.GetProperty("errors").TryGetProperty("slots", out _));
        var closed = await (await owned.Client.PostAsJsonAsync(path, new { dealerId, slots = new[] { _setup.Weekday(2, hour: 22) } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Contains("opening hours", closed.GetProperty("errors").GetProperty("slots")[0].GetString());
        await (await owned.Client.PostAsJsonAsync(path, new { dealerId, slots = Array.Empty<DateTimeOffset>() })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.PostAsJsonAsync(path, new { dealerId = "no-such-dealer", slots = new[] { _setup.Weekday(2) } })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.PostAsJsonAsync(path, new { dealerId, slots = new[] { _setup.Weekday(2) }, reason = new string('x', 501) })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.GetAsync($"{path}/nope")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");

        // The console is for dealers, and for a dealer account only once it works for a dealer.
        await (await owned.Client.GetAsync("/api/v1/dealer/appointments")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        var email = $"unlinked-{Guid.NewGuid():N}@example.com";
        await server.Get<Pitwall.Server.Features.Accounts.AccountAdministration>().CreateUserAsync(email, "Una Linked", "dealer", "a dealer password", CancellationToken.None);
        var unlinked = server.ClientWith((await server.SignInAsync(email, "a dealer password")).AccessToken);
        await (await unlinked.GetAsync("/api/v1/dealer/appointments")).AssertProblemAsync(HttpStatusCode.Forbidden, "dealer_account_not_linked");
    }

    [Fact]
    public async Task The_chosen_dealer_reads_the_cars_data_each_read_is_in_the_owners_log_and_another_dealer_gets_404()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Vertragswerkstatt Lesen");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        var (other, _) = await _setup.StaffAsync(await _setup.DealerAsync("Fremde Werkstatt"));

        await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId })).StatusCode);

        foreach (var what in (string[])["health", "faults", "logs"])
        {
            var read = await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin.ToLowerInvariant()}/{what}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(what, (await read.JsonAsync()).GetProperty("what").GetString());
            server.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await (await other.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        var log = (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/dealer-access")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(["logs", "faults", "health"], log.Select(r => r.GetProperty("what").GetString()));
        Assert.All(log, r => Assert.Equal("Vertragswerkstatt Lesen", r.GetProperty("dealerName").GetString()));

        // Revoking the choice ends the access, unless an appointment with the dealer is open.
        var id = (await BookAsync(owned, new { dealerId, slots = new[] { _setup.Weekday(2) } })).GetProperty("id").GetString()!;
        var revoked = await (await owned.Client.DeleteAsync($"/api/v1/vehicles/{owned.Vin}/dealer")).JsonAsync();
        Assert.True(revoked.GetProperty("dealerKeepsAccess").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/faults")).StatusCode);
        await dealer.PostAsync($"/api/v1/dealer/appointments/{id}/decline", null);
        await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/faults")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        Assert.Equal(4, (await (await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/dealer-access")).JsonAsync()).GetArrayLength());
    }

    [Fact]
    public async Task Erasing_the_owners_account_ends_the_dealers_access_and_removes_the_appointments()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealerId = await _setup.DealerAsync("Werkstatt Löschen");
        var (dealer, _) = await _setup.StaffAsync(dealerId);
        await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId });
        var id = (await BookAsync(owned, new { slots = new[] { _setup.Weekday(2) }, reason = "Annual service" })).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).StatusCode);

        using (var archive = new System.IO.Compression.ZipArchive(await (await owned.Client.GetAsync("/api/v1/me/data-export")).Content.ReadAsStreamAsync()))
        {
            var files = archive.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
            Assert.Contains("Annual service", files["service_appointments.json"]);
            Assert.Contains(dealerId, files["dealer_access.json"]);
        }

        var erased = await owned.Client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/api/v1/me") { Content = JsonContent.Create(new { currentPassword = owned.Owner.Password }) });
        Assert.Equal(HttpStatusCode.NoContent, erased.StatusCode);

        await (await dealer.GetAsync($"/api/v1/dealer/cars/{owned.Vin}/health")).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await dealer.GetAsync($"/api/v1/dealer/appointments/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        Assert.Empty((await (await dealer.GetAsync("/api/v1/dealer/appointments")).JsonAsync()).EnumerateArray());
    }
}

public sealed class AppointmentsOnSqlite(SqliteServer server) : AppointmentTests(server), IClassFixture<SqliteServer>;

public sealed class AppointmentsOnPostgres(PostgresServer server) : AppointmentTests(server), IClassFixture<PostgresServer>;
