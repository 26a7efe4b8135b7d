using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;
using static Pitwall.Server.Tests.Infrastructure.CarSecuritySetup;

namespace Pitwall.Server.Tests.Features.CarSecurity;

/// <summary>Car Security (E1–E5, B4) end to end with the simulated car, the SOC, the authority and the owner, on each engine.</summary>
public abstract class CarSecurityTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    /// <summary>The B2 data, the answer padded with blanks (the API trims it).</summary>
    private static readonly object SecurityData = SecurityDetails($" {Answer} ");

    private sealed record Staff(string AccountId, HttpClient Client);

    private async Task<Staff> StaffAsync(string role)
    {
        var (accountId, email) = await server.CreateStaffAsync(role, "Sam Staff");
        return new Staff(accountId, server.ClientWith((await server.SignInAsync(email, StaffPassword)).AccessToken));
    }

    /// <summary>An owner's car with Car Security bought (B2 data given).</summary>
    private Task<(OwnedVehicle Owned, string ContractId)> SecuredCarAsync() => server.SecuredVehicleAsync(SecurityData);

    /// <param name="fresh">The car's first connection (see <see cref="CarSecuritySetup.ConnectCarAsync"/>).</param>
    private Task<SimulatedVehicle> ConnectAsync(OwnedVehicle owned, bool fresh = true) => server.ConnectCarAsync(owned, 7, Patience, fresh);

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body = null) =>
        client.PostAsJsonAsync(path, body ?? new { });

    private async Task<JsonElement> CaseOfAsync(Staff soc, string vin)
    {
        var queue = await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/cases"));
        return queue.EnumerateArray().Single(c => c.GetProperty("vin").GetString() == vin);
    }

    private static async Task<IReadOnlyList<string>> NotificationTypesAsync(HttpClient client) =>
        [.. (await OkJsonAsync(await client.GetAsync("/api/v1/me/notifications"))).EnumerateArray().Select(n => n.GetProperty("type").GetString()!)];

    /// <summary>Reaches the owner on the second number (the first rings out) and checks the identity, one wrong answer first.</summary>
    private static async Task ReachAndVerifyAsync(Staff soc, string id)
    {
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/contacts", new { phoneIndex = 2, outcome = "reached" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "phone_out_of_order");
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/identity-check", new { answer = Answer }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "owner_not_reached");
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/contacts", new { phoneIndex = 1, outcome = "no_answer" }));
        Assert.Equal(2, (await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/contacts"))).GetProperty("nextPhoneIndex").GetInt32());
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/contacts", new { phoneIndex = 2, outcome = "reached", note = "Owner at home" }));
        Assert.Equal(JsonValueKind.Null, // the owner was reached: no hint to call anyone next
            (await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/contacts"))).GetProperty("nextPhoneIndex").ValueKind);
        var wrong = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/identity-check", new { answer = "Red Herring" }));
        Assert.False(wrong.GetProperty("verified").GetBoolean());
        Assert.Equal(2, wrong.GetProperty("attemptsLeft").GetInt32());
        var right = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/identity-check", new { answer = "blue whale" }));
        Assert.True(right.GetProperty("verified").GetBoolean());
    }

    [Fact]
    public async Task A_theft_is_tracked_confirmed_reported_to_the_authority_recovered_and_closed()
    {
        var (owned, contractId) = await SecuredCarAsync();
        var soc = await StaffAsync("soc_operator");
        var authority = await StaffAsync("authority");
        var otherAuthority = await StaffAsync("authority");
        await using var feed = await EventStream.OpenAsync(soc.Client, "/api/v1/soc/events");
        await using var authorityFeed = await EventStream.OpenAsync(authority.Client, "/api/v1/authority/events");
        await using var car = await ConnectAsync(owned);

        // The car detects unauthorised movement: the first message opens a case, every message is kept in order.
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        var opened = await feed.NextAsync("soc.case_opened", e => e.GetProperty("vin").GetString() == owned.Vin);
        var id = opened.GetProperty("id").GetString()!;
        await car.DriveAsync(TimeSpan.FromMinutes(2), speed: 15);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        await feed.NextAsync("soc.tracking", e => e.GetProperty("caseId").GetString() == id && e.GetProperty("point").GetProperty("phase").GetString() == "tracking");
        var queued = await CaseOfAsync(soc, owned.Vin);
        Assert.Equal(id, queued.GetProperty("id").GetString());
        Assert.Equal("open", queued.GetProperty("state").GetString());
        Assert.True(queued.GetProperty("theftMode").GetBoolean());
        Assert.True(queued.GetProperty("urgency").GetInt32() >= 80, "a moving car without key is among the most urgent");
        var track = (await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/track"))).EnumerateArray().ToList();
        Assert.Equal(car.TrackingMessagesSent, track.Count);
        Assert.Equal("started", track[0].GetProperty("phase").GetString());
        Assert.True(track.Zip(track.Skip(1)).All(p => p.First.GetProperty("seq").GetInt64() < p.Second.GetProperty("seq").GetInt64()));
        var last = track[^1];
        Assert.Equal(car.Position.Latitude, last.GetProperty("position").GetProperty("latitude").GetDouble(), 5);
        Assert.Equal(262, last.GetProperty("gsmCell").GetProperty("mcc").GetInt32());
        Assert.True(last.GetProperty("ignitionOn").GetBoolean());
        Assert.Equal("ok", last.GetProperty("gpsAntenna").GetString());
        Assert.Contains("theft.case_opened", await NotificationTypesAsync(owned.Client));

        // B4: while the car is stolen, Car Security can be neither cancelled nor withdrawn.
        await (await PostAsync(owned.Client, $"/api/v1/contracts/{contractId}/cancel")).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
        await (await PostAsync(owned.Client, $"/api/v1/contracts/{contractId}/withdraw")).AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
        Assert.True((await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"))).GetProperty("stolen").GetBoolean());

        // Only the SOC reads the SOC's cases; the owner and an authority get 403, and nothing before a claim changes a case.
        await (await owned.Client.GetAsync("/api/v1/soc/cases")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await owned.Client.GetAsync($"/api/v1/soc/cases/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await authority.Client.GetAsync($"/api/v1/soc/cases/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await authority.Client.GetAsync($"/api/v1/authority/cases/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/contacts", new { phoneIndex = 1, outcome = "reached" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "case_not_claimed");

        // The operator claims the case, tracks more often, calls the owner in order and checks the identity.
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/claim"));
        var colleague = await StaffAsync("soc_operator");
        await (await PostAsync(colleague.Client, $"/api/v1/soc/cases/{id}/claim")).AssertProblemAsync(HttpStatusCode.Conflict, "case_claimed");
        await OkJsonAsync(await soc.Client.PutAsJsonAsync($"/api/v1/soc/cases/{id}/tracking-interval", new { seconds = 10 }));
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.TrackingIntervalSeconds == 10).WaitAsync(Patience);
        Assert.Equal(TimeSpan.FromSeconds(10), car.TrackingInterval);
        var detail = await soc.Client.GetStringAsync($"/api/v1/soc/cases/{id}");
        Assert.Contains("+491701234567", detail);
        Assert.Contains("Name of my first car?", detail);
        Assert.DoesNotContain("Whale", detail, StringComparison.OrdinalIgnoreCase);
        await ReachAndVerifyAsync(soc, id);
        var contacts = await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/contacts"));
        Assert.Equal([(1, "no_answer"), (2, "reached")],
            contacts.GetProperty("attempts").EnumerateArray().Select(a => (a.GetProperty("phoneIndex").GetInt32(), a.GetProperty("outcome").GetString()!)));
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/notes", new { note = "Owner says the car was parked at the office." }));

        // Theft confirmed: the case goes to the authority, which alone (of the authorities) sees it, live.
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new { outcome = "theft_confirmed", authorityAccountId = soc.AccountId, circumstances = "x" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var confirmed = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new
        {
            outcome = "theft_confirmed", authorityAccountId = authority.AccountId, circumstances = "Taken from the office car park <Königstraße 1> at night.",
        }));
        Assert.Equal("handed_over", confirmed.GetProperty("state").GetString());
        await authorityFeed.NextAsync("soc.case_updated", e => e.GetProperty("id").GetString() == id && e.GetProperty("state").GetString() == "handed_over");
        var mine = (await OkJsonAsync(await authority.Client.GetAsync("/api/v1/authority/cases"))).EnumerateArray().ToList();
        Assert.Equal(id, Assert.Single(mine).GetProperty("id").GetString());
        Assert.Empty((await OkJsonAsync(await otherAuthority.Client.GetAsync("/api/v1/authority/cases"))).EnumerateArray());
        await (await otherAuthority.Client.GetAsync($"/api/v1/authority/cases/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await otherAuthority.Client.GetAsync($"/api/v1/authority/cases/{id}/report.gpx")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var view = await authority.Client.GetStringAsync($"/api/v1/authority/cases/{id}");
        Assert.Contains(Registration, view);
        Assert.DoesNotContain("+491701234567", view);
        await car.DriveAsync(TimeSpan.FromSeconds(30), speed: 15);
        await authorityFeed.NextAsync("soc.tracking", e => e.GetProperty("caseId").GetString() == id);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Contains("theft.confirmed", await NotificationTypesAsync(owned.Client));

        // The report: well-formed GPX and GeoJSON with every position, and a printable page.
        var positions = (await OkJsonAsync(await authority.Client.GetAsync($"/api/v1/authority/cases/{id}/track"))).GetArrayLength();
        var gpxResponse = await authority.Client.GetAsync($"/api/v1/authority/cases/{id}/report.gpx");
        Assert.Equal("application/gpx+xml", gpxResponse.Content.Headers.ContentType?.MediaType);
        var gpx = new XmlDocument();
        gpx.LoadXml(await gpxResponse.Content.ReadAsStringAsync());
        var ns = new XmlNamespaceManager(gpx.NameTable);
        ns.AddNamespace("g", "http://www.topografix.com/GPX/1/1");
        Assert.Equal("1.1", gpx.DocumentElement!.GetAttribute("version"));
        var points = gpx.SelectNodes("//g:trk/g:trkseg/g:trkpt", ns)!;
        Assert.Equal(positions, points.Count);
        Assert.All(points.Cast<XmlElement>(), p => Assert.InRange(double.Parse(p.GetAttribute("lat"), System.Globalization.CultureInfo.InvariantCulture), 48, 49.5));
        var geo = JsonDocument.Parse(await authority.Client.GetStringAsync($"/api/v1/authority/cases/{id}/report.geojson")).RootElement;
        Assert.Equal("FeatureCollection", geo.GetProperty("type").GetString());
        var line = geo.GetProperty("features")[0];
        Assert.Equal("LineString", line.GetProperty("geometry").GetProperty("type").GetString());
        Assert.Equal(positions, line.GetProperty("geometry").GetProperty("coordinates").GetArrayLength());
        var first = line.GetProperty("geometry").GetProperty("coordinates")[0];
        Assert.InRange(first[0].GetDouble(), 8.5, 10); // [longitude, latitude]
        Assert.Equal(positions + 1, geo.GetProperty("features").GetArrayLength());
        await (await authority.Client.PutAsJsonAsync($"/api/v1/authority/cases/{id}/reference", new { reference = " " }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var referenced = await OkJsonAsync(await authority.Client.PutAsJsonAsync($"/api/v1/authority/cases/{id}/reference", new { reference = "LKA-BW 4711/26" }));
        Assert.Equal("LKA-BW 4711/26", referenced.GetProperty("authorityReference").GetString());
        var html = await authority.Client.GetStringAsync($"/api/v1/authority/cases/{id}/report");
        Assert.Contains("LKA-BW 4711/26", html);
        Assert.Contains("Handed to the authority", html); // the portal's words, not the codes
        Assert.Contains("Security centre", html);
        Assert.DoesNotContain("soc_operator", html);
        Assert.Matches(@"<td>\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC</td>", html);
        Assert.Contains(Registration, html);
        Assert.Contains("&lt;K", html); // the circumstances are encoded
        Assert.DoesNotContain("<Königstraße", html);

        // Recovered: the case closes, the car leaves theft mode, and Car Security can be cancelled again.
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new { outcome = "false_alarm" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "conflict");
        var closed = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new { outcome = "recovered", note = "Found by the police." }));
        Assert.Equal(("closed", "recovered"), (closed.GetProperty("state").GetString(), closed.GetProperty("outcome").GetString()));
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.EndedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        Assert.Null(car.TheftMode.IncidentId);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.DoesNotContain((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/cases"))).EnumerateArray(), c => c.GetProperty("id").GetString() == id);
        var after = await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}"));
        Assert.False(after.GetProperty("case").GetProperty("theftMode").GetBoolean());
        Assert.Equal("ended", (await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/track"))).EnumerateArray().Last().GetProperty("phase").GetString());
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(owned.Client, $"/api/v1/contracts/{contractId}/cancel")).StatusCode);
        var ownerCases = (await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/theft-cases"))).EnumerateArray().ToList();
        Assert.Equal(("closed", "recovered", true), (ownerCases[0].GetProperty("state").GetString(), ownerCases[0].GetProperty("outcome").GetString(),
            ownerCases[0].GetProperty("handedToPolice").GetBoolean()));
        Assert.Contains("theft.case_closed", await NotificationTypesAsync(owned.Client));

        // The audit log says who did what and when, and never the answer.
        var audit = (await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{id}/audit"))).EnumerateArray().ToList();
        var actions = audit.Select(a => a.GetProperty("action").GetString()).ToList();
        foreach (var action in new[] { "opened", "claimed", "tracking_interval", "contact_attempt", "identity_check", "note", "theft_confirmed", "report", "closed", "theft_mode_ended" })
        {
            Assert.Contains(action, actions);
        }
        Assert.All(audit.Where(a => a.GetProperty("action").GetString() == "claimed"), a => Assert.Equal(soc.AccountId, a.GetProperty("actorAccountId").GetString()));
        Assert.Contains(audit, a => a.GetProperty("action").GetString() == "report" && a.GetProperty("actorRole").GetString() == "authority");
        Assert.DoesNotContain(audit, a => a.GetProperty("detail").GetString()!.Contains("whale", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_false_alarm_is_closed_once_the_owner_proves_who_they_are_and_the_car_stops_tracking()
    {
        var (owned, _) = await SecuredCarAsync();
        var soc = await StaffAsync("soc_operator");
        await using var car = await ConnectAsync(owned);
        Assert.True(await car.StartTheftAsync(TheftReason.Alarm));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var id = (await CaseOfAsync(soc, owned.Vin)).GetProperty("id").GetString()!;
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/claim"));
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new { outcome = "false_alarm" }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "identity_not_verified");
        await ReachAndVerifyAsync(soc, id);
        var closed = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/outcome", new { outcome = "false_alarm", note = "Owner opened the boot." }));
        Assert.Equal(("closed", "false_alarm"), (closed.GetProperty("state").GetString(), closed.GetProperty("outcome").GetString()));
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.EndedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        Assert.Null(car.TheftMode.IncidentId);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.False((await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"))).GetProperty("stolen").GetBoolean());
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/notes", new { note = "Closed after call." }));
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/claim")).AssertProblemAsync(HttpStatusCode.Conflict, "case_closed");
    }

    [Fact]
    public async Task The_identity_check_locks_after_three_wrong_answers()
    {
        var (owned, _) = await SecuredCarAsync();
        var soc = await StaffAsync("soc_operator");
        await using var car = await ConnectAsync(owned);
        Assert.True(await car.StartTheftAsync(TheftReason.Tampering));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var id = (await CaseOfAsync(soc, owned.Vin)).GetProperty("id").GetString()!;
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/claim"));
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/contacts", new { phoneIndex = 1, outcome = "reached" }));
        for (var left = 2; left >= 0; left--)
        {
            var wrong = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/identity-check", new { answer = "guess" }));
            Assert.Equal(left, wrong.GetProperty("attemptsLeft").GetInt32());
        }
        await (await PostAsync(soc.Client, $"/api/v1/soc/cases/{id}/identity-check", new { answer = Answer }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "identity_check_locked");
    }

    [Fact]
    public async Task A_trigger_reason_the_owner_switched_off_opens_no_case_but_the_service_never_goes_off_as_a_whole()
    {
        var (owned, _) = await SecuredCarAsync();
        var soc = await StaffAsync("soc_operator");
        var until = server.Clock.GetUtcNow().AddDays(2);
        var settings = await OkJsonAsync(await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/alarm", new { suspendedUntil = until }));
        Assert.Contains(settings.GetProperty("triggers").EnumerateArray(), t => t.GetProperty("reason").GetString() == "alarm" && !t.GetProperty("enabled").GetBoolean());
        await OkJsonAsync(await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/tampering", new { suspendedUntil = until }));
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/unauthorised_movement", new { suspendedUntil = until }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "car_security_always_on");
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/tampering", new { suspendedUntil = until.AddDays(40) }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/everything", new { suspendedUntil = until }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/alarm", new { suspendedUntil = until }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        await using (var car = await ConnectAsync(owned))
        {
            await car.WaitForFrameAsync(f => f.Configuration?.Theft?.SuspendedTriggers.Count == 2).WaitAsync(Patience);
            Assert.True(car.IsTheftReasonSuspended(TheftReason.Alarm));
            Assert.False(await car.StartTheftAsync(TheftReason.Alarm));
            Assert.False(await car.StartTheftAsync(TheftReason.Tampering));
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        // A faulty car that sends one anyway is not listened to either.
        await using (var raw = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, firstSeq: (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000 + 5_000_000))
        {
            var seq = raw.NextSeq();
            await raw.SendAsync(new Envelope
            {
                Seq = seq,
                TheftTracking = new TheftTracking
                {
                    IncidentId = Guid.NewGuid().ToString(), Phase = TheftTracking.Types.Phase.Started, Reason = TheftReason.Alarm,
                    TheftModeStartedAtMs = server.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    Data = new TrackingData { RecordedAtMs = server.Clock.GetUtcNow().ToUnixTimeMilliseconds(), Position = new Position { Latitude = 48.8, Longitude = 9.2 } },
                },
            });
            await raw.WaitForAckAsync(seq);
        }
        Assert.DoesNotContain((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/cases"))).EnumerateArray(), c => c.GetProperty("vin").GetString() == owned.Vin);
        Assert.Empty((await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/theft-cases"))).EnumerateArray());

        // Switched on again, the reason opens a case.
        await OkJsonAsync(await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/car-security/triggers/alarm", new { suspendedUntil = (DateTimeOffset?)null }));
        await using (var car = await ConnectAsync(owned, fresh: false))
        {
            // The newest settings (only tampering off): a car that reconnects before its acks of the older ones are written
            // gets those again first, and the first of them also has one reason off (alarm).
            await car.WaitForFrameAsync(f => f.Configuration?.Theft?.SuspendedTriggers is { Count: 1 } off && off[0].Reason == TheftReason.Tampering)
                .WaitAsync(Patience);
            Assert.True(await car.StartTheftAsync(TheftReason.Alarm));
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        Assert.Equal("alarm", (await CaseOfAsync(soc, owned.Vin)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_owner_reports_a_theft_and_an_authority_starts_tracking_and_the_car_tracks_on_request()
    {
        var (owned, _) = await SecuredCarAsync();
        var soc = await StaffAsync("soc_operator");
        await using var car = await ConnectAsync(owned);
        var reported = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/theft-cases", new { circumstances = "Gone from the street." });
        Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
        var caseId = (await reported.JsonAsync()).GetProperty("id").GetString()!;
        await (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/theft-cases", new { })).AssertProblemAsync(HttpStatusCode.Conflict, "theft_case_open");
        await car.WaitForFrameAsync(f => f.Configuration?.Theft?.RequestedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        Assert.Equal(TheftReason.RemoteRequest, car.TheftMode.Reason);
        await car.DriveAsync(TimeSpan.FromMinutes(1), speed: 12);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var track = await OkJsonAsync(await soc.Client.GetAsync($"/api/v1/soc/cases/{caseId}/track"));
        Assert.Equal(car.TrackingMessagesSent, track.GetArrayLength());
        var summary = await CaseOfAsync(soc, owned.Vin);
        Assert.Equal(("owner", "remote_request"), (summary.GetProperty("source").GetString(), summary.GetProperty("reason").GetString()));

        // E5: a time-limited map key shows the track and nothing else.
        await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{caseId}/claim"));
        var key = await OkJsonAsync(await PostAsync(soc.Client, $"/api/v1/soc/cases/{caseId}/map-key"));
        var map = await server.Client.GetStringAsync(key.GetProperty("url").GetString());
        Assert.DoesNotContain(owned.Vin, map);
        Assert.Equal(track.GetArrayLength(), JsonDocument.Parse(map).RootElement.GetArrayLength());
        await (await server.Client.GetAsync($"/api/v1/access/position?key={Uri.EscapeDataString(key.GetProperty("key").GetString()!)}"))
            .AssertProblemAsync(HttpStatusCode.NotFound, "access_key_invalid");

        // E3: an authority starts tracking another car itself; VIN and registration number must match.
        var (second, _) = await SecuredCarAsync();
        var authority = await StaffAsync("authority");
        await (await authority.Client.PostAsJsonAsync("/api/v1/authority/tracking", new { vin = second.Vin, registrationNumber = "S-XX 1", reference = "LKA-4711" }))
            .AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        var started = await authority.Client.PostAsJsonAsync("/api/v1/authority/tracking", new { vin = second.Vin, registrationNumber = "s-pw911", reference = "LKA-4711" });
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var authorityCase = await started.JsonAsync();
        Assert.Equal("handed_over", authorityCase.GetProperty("state").GetString());
        Assert.Equal("LKA-4711", authorityCase.GetProperty("authorityReference").GetString());
        await using var secondCar = await ConnectAsync(second);
        await secondCar.WaitForFrameAsync(f => f.Configuration?.Theft?.RequestedIncidentId is { Length: > 0 }).WaitAsync(Patience);
        await secondCar.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var authorityTrack = await OkJsonAsync(await authority.Client.GetAsync($"/api/v1/authority/cases/{authorityCase.GetProperty("id").GetString()}/track"));
        Assert.Equal("started", authorityTrack[0].GetProperty("phase").GetString());
        await (await owned.Client.PostAsJsonAsync("/api/v1/authority/tracking", new { vin = second.Vin })).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
        await (await soc.Client.GetAsync("/api/v1/authority/cases")).AssertProblemAsync(HttpStatusCode.Forbidden, "insufficient_scope");
    }

    [Fact]
    public async Task A_theft_without_Car_Security_is_noted_and_the_package_cannot_be_bought_for_it_until_it_is_over()
    {
        var owned = await server.OwnedVehicleAsync();
        var soc = await StaffAsync("soc_operator");
        var thefts = $"/api/v1/vehicles/{owned.Vin}/uncovered-thefts";
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = 7, RecordReceivedFrames = true, HealthCheckInterval = TimeSpan.Zero,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        // Another package tells the car its services: without Car Security.
        Assert.Equal(HttpStatusCode.Created, (await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/contracts", new { packageId = "navigation_plus" })).StatusCode);
        await car.WaitForFrameAsync(f => f.Configuration?.ActiveServices is { } active && !active.Services.Contains("car_security")).WaitAsync(Patience);

        // The car notices the theft but, without the service, says only that theft mode started: no position, no tracking.
        Assert.True(await car.StartTheftAsync(TheftReason.UnauthorisedMovement));
        await car.DriveAsync(TimeSpan.FromMinutes(2), speed: 15);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.Equal(1, car.TrackingMessagesSent);
        var noted = Assert.Single((await OkJsonAsync(await owned.Client.GetAsync(thefts))).EnumerateArray());
        Assert.Equal(("car", "unauthorised_movement", JsonValueKind.Null),
            (noted.GetProperty("source").GetString(), noted.GetProperty("reason").GetString(), noted.GetProperty("endedAt").ValueKind));
        Assert.DoesNotContain((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/cases"))).EnumerateArray(), c => c.GetProperty("vin").GetString() == owned.Vin);
        Assert.True((await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"))).GetProperty("stolen").GetBoolean());

        // B4: not for this incident — neither bought, nor offered; a report changes nothing, the owner cannot end what the car noticed.
        var offers = await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/offers"));
        Assert.Equal("vehicle_stolen", offers.EnumerateArray().Single(o => o.GetProperty("package").GetProperty("id").GetString() == "car_security")
            .GetProperty("notAvailable").GetString());
        var contracts = $"/api/v1/vehicles/{owned.Vin}/contracts";
        await (await owned.Client.PostAsJsonAsync(contracts, new { packageId = "car_security", carSecurity = SecurityData }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
        var reported = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/theft-cases", new { });
        Assert.Equal(HttpStatusCode.Accepted, reported.StatusCode);
        Assert.Equal(noted.GetProperty("id").GetString(), (await reported.JsonAsync()).GetProperty("id").GetString());
        await (await PostAsync(owned.Client, $"{thefts}/{noted.GetProperty("id").GetString()}/recovered"))
            .AssertProblemAsync(HttpStatusCode.Conflict, "ended_by_the_car");
        var stranger = server.ClientWith((await server.NewOwnerAsync()).AccessToken);
        await (await stranger.GetAsync(thefts)).AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");

        // The owner opens the car with its key: theft mode ends, and the package may be bought again.
        Assert.True(await car.EndTheftWithKeyAsync());
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        Assert.NotEqual(JsonValueKind.Null, Assert.Single((await OkJsonAsync(await owned.Client.GetAsync(thefts))).EnumerateArray()).GetProperty("endedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Created, (await owned.Client.PostAsJsonAsync(contracts, new { packageId = "car_security", carSecurity = SecurityData })).StatusCode);

        // An owner's report of a car without the service: noted once, no case, until the owner says the car is back.
        var other = await server.OwnedVehicleAsync();
        var first = await other.Client.PostAsJsonAsync($"/api/v1/vehicles/{other.Vin}/theft-cases", new { circumstances = "Gone from the garage." });
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var report = await first.JsonAsync();
        Assert.Equal(("owner", "owner_report"), (report.GetProperty("source").GetString(), report.GetProperty("reason").GetString()));
        var again = await other.Client.PostAsJsonAsync($"/api/v1/vehicles/{other.Vin}/theft-cases", new { });
        Assert.Equal(report.GetProperty("id").GetString(), (await again.JsonAsync()).GetProperty("id").GetString());
        Assert.Empty((await OkJsonAsync(await other.Client.GetAsync($"/api/v1/vehicles/{other.Vin}/theft-cases"))).EnumerateArray());
        await (await other.Client.PostAsJsonAsync($"/api/v1/vehicles/{other.Vin}/contracts", new { packageId = "car_security", carSecurity = SecurityData }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "vehicle_stolen");
        await (await PostAsync(stranger, $"/api/v1/vehicles/{other.Vin}/uncovered-thefts/{report.GetProperty("id").GetString()}/recovered"))
            .AssertProblemAsync(HttpStatusCode.NotFound, "vehicle_not_found");
        await (await PostAsync(other.Client, $"/api/v1/vehicles/{other.Vin}/uncovered-thefts/no-such-theft/recovered"))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        var back = await OkJsonAsync(await PostAsync(other.Client, $"/api/v1/vehicles/{other.Vin}/uncovered-thefts/{report.GetProperty("id").GetString()}/recovered"));
        Assert.NotEqual(JsonValueKind.Null, back.GetProperty("endedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Created,
            (await other.Client.PostAsJsonAsync($"/api/v1/vehicles/{other.Vin}/contracts", new { packageId = "car_security", carSecurity = SecurityData })).StatusCode);

        // Kept 12 months after the theft ended, not a second longer.
        const string count = "SELECT COUNT(*) FROM uncovered_thefts WHERE vin = @vin";
        async Task<long> CountAsync() => await server.Get<Pitwall.Server.Data.Database>().ReadAsync(
            c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c, count, new { vin = other.Vin }), CancellationToken.None);
        server.Clock.Advance(TimeSpan.FromDays(365) - TimeSpan.FromSeconds(1));
        await server.Get<Pitwall.Server.Features.Privacy.RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(1, await CountAsync());
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await server.Get<Pitwall.Server.Features.Privacy.RetentionSweeper>().SweepAsync(CancellationToken.None);
        Assert.Equal(0, await CountAsync());
    }

    [Fact]
    public async Task A_missed_monthly_health_check_is_flagged_to_the_owner_and_the_soc_once_per_month()
    {
        var (owned, _) = await SecuredCarAsync();
        var job = server.Get<HealthCheckJob>();
        await using (var car = await ConnectAsync(owned))
        {
            await car.SendHealthCheckAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        var settings = await OkJsonAsync(await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"));
        Assert.NotEqual(JsonValueKind.Null, settings.GetProperty("lastHealthCheckAt").ValueKind);
        await job.RunOnceAsync(CancellationToken.None);
        var soc = await StaffAsync("soc_operator");
        Assert.DoesNotContain((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/health-checks"))).EnumerateArray(), h => h.GetProperty("vin").GetString() == owned.Vin);

        server.Clock.Advance(TimeSpan.FromDays(33));
        await job.RunOnceAsync(CancellationToken.None);
        soc = await StaffAsync("soc_operator");
        Assert.DoesNotContain((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/health-checks"))).EnumerateArray(), h => h.GetProperty("vin").GetString() == owned.Vin);

        // The job may run by itself when the clock moves (its timer is on the same clock): listen before moving it.
        await using var feed = await EventStream.OpenAsync(soc.Client, "/api/v1/soc/events");
        server.Clock.Advance(TimeSpan.FromDays(2));
        await job.RunOnceAsync(CancellationToken.None);
        await feed.NextAsync("soc.health_check_missed", e => e.GetProperty("vin").GetString() == owned.Vin);
        soc = await StaffAsync("soc_operator");
        Assert.Contains((await OkJsonAsync(await soc.Client.GetAsync("/api/v1/soc/health-checks"))).EnumerateArray(), h => h.GetProperty("vin").GetString() == owned.Vin);
        var owner = server.ClientWith((await server.SignInAsync(owned.Owner.Email, owned.Owner.Password)).AccessToken);
        Assert.Single(await NotificationTypesAsync(owner), "theft.health_check_missed");
        Assert.True((await OkJsonAsync(await owner.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"))).GetProperty("healthCheckMissed").GetBoolean());
        await job.RunOnceAsync(CancellationToken.None);
        Assert.Single(await NotificationTypesAsync(owner), "theft.health_check_missed");

        // The car checks in again: no longer missed.
        await using (var car = await ConnectAsync(owned, fresh: false))
        {
            await car.SendHealthCheckAsync();
            await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        }
        Assert.False((await OkJsonAsync(await owner.GetAsync($"/api/v1/vehicles/{owned.Vin}/car-security"))).GetProperty("healthCheckMissed").GetBoolean());
    }
}

public sealed class CarSecurityOnSqlite(SqliteServer server) : CarSecurityTests(server), IClassFixture<SqliteServer>;

public sealed class CarSecurityOnPostgres(PostgresServer server) : CarSecurityTests(server), IClassFixture<PostgresServer>;
