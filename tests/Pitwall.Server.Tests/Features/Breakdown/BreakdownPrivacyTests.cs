using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Features.Dealers;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Breakdown;

/// <summary>The breakdown call's privacy (P1, P5): the minimum without consent, consent per call given and withdrawn, the dealer only
/// with consent, 7 days then gone, the emergency call through private mode to the top of the queue, and who may see what.</summary>
public abstract class BreakdownPrivacyTests(PitwallServer server)
{
    private static readonly string[] Minimum = ["vin", "snapshot", "diagnosis", "position"];

    [Fact]
    public async Task Without_consent_the_agent_sees_only_the_minimum_the_dealer_nothing_and_a_withdrawal_ends_the_sharing()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealers = new DealerSetup(server);
        var dealerId = await dealers.DealerAsync("Porsche Zentrum Consent");
        (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId })).EnsureSuccessStatusCode();
        var (agent, _, _) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var car = await server.ConnectAsync(owned, seed: 31);
        await car.BreakDownAsync(BreakdownKind.Overheating, new BreakdownConsent()); // the driver says no to everything
        var id = await feed.NextCaseAsync("assistance.case_opened");
        await agent.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).OkJsonAsync();

        var k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal(Minimum, k.GetProperty("withheld").EnumerateArray().Select(w => w.GetString()));
        foreach (var hidden in Minimum)
        {
            Assert.Equal(JsonValueKind.Null, k.GetProperty(hidden).ValueKind);
        }
        Assert.Equal(("+491701234567", "Taycan", "claimed"), (k.GetProperty("callbackNumber").GetString(), k.GetProperty("model").GetString(), k.GetProperty("state").GetString()));
        Assert.Equal("breakdown_consent_missing", await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/live-diagnosis", new { }).CodeAsync(HttpStatusCode.Conflict));
        var (staff, _) = await dealers.StaffAsync(dealerId);
        Assert.Empty((await staff.GetAsync("/api/v1/dealer/breakdowns").OkJsonAsync()).EnumerateArray());

        // The driver agrees in the app during the call: the agent sees the data, the dealer the snapshot.
        var consent = $"/api/v1/vehicles/{owned.Vin}/breakdown-calls/{id}/consent";
        var given = await owned.Client.PutAsJsonAsync(consent, new { assistance = true, position = true, dealer = true }).OkJsonAsync();
        Assert.Equal(dealerId, given.GetProperty("consent").GetProperty("dealerId").GetString());
        k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal(owned.Vin, k.GetProperty("vin").GetString());
        Assert.Contains(k.GetProperty("diagnosis").GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "hv_battery_overheating");
        Assert.Single((await staff.GetAsync("/api/v1/dealer/breakdowns").OkJsonAsync()).EnumerateArray());
        var recorded = await owned.Client.GetAsync("/api/v1/me/consents").OkJsonAsync();
        Assert.Equal(3, recorded.EnumerateArray().Count(c => c.GetProperty("scope").GetString() == id)); // every consent with its scope: this call

        // Withdrawn: no more sharing, but the position stays for the help on its way.
        await owned.Client.PutAsJsonAsync(consent, new { assistance = false, dealer = false }).OkJsonAsync();
        k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal(["vin", "snapshot", "diagnosis"], k.GetProperty("withheld").EnumerateArray().Select(w => w.GetString()));
        Assert.Equal(JsonValueKind.Object, k.GetProperty("position").ValueKind);
        Assert.Empty((await staff.GetAsync("/api/v1/dealer/breakdowns").OkJsonAsync()).EnumerateArray());
        Assert.Equal(2, (await owned.Client.GetAsync("/api/v1/me/consents").OkJsonAsync()).EnumerateArray()
            .Count(c => c.GetProperty("scope").GetString() == id && c.GetProperty("withdrawnAt").ValueKind != JsonValueKind.Null));
    }

    [Fact]
    public async Task An_emergency_call_from_a_car_in_private_mode_with_every_service_off_reaches_the_top_of_the_queue()
    {
        var waiting = await server.OwnedVehicleAsync();
        var (agent, _, _) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var broken = await server.ConnectAsync(waiting, seed: 32);
        await broken.BreakDownAsync(BreakdownKind.StoppingFault);
        await feed.NextCaseAsync("assistance.case_opened");

        var (_, _, _, vin, secret) = await server.OwnedVehicleAsync("911", 2024);
        var everythingOff = new PrivacySettings
        {
            PrivateMode = true, LocationServicesDisabled = true, NonLocationServicesDisabled = true, RemoteAccessDisabled = true,
            DisabledServices = { ServiceIds.EmergencyCall, ServiceIds.BreakdownCall, ServiceIds.CarFinder },
        };
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, vin, secret, privacy: everythingOff);
        var now = server.Clock.GetUtcNow().ToUnixTimeMilliseconds();
        var breakdownSeq = car.NextSeq();
        await car.SendAsync(new Envelope
        {
            Seq = breakdownSeq,
            BreakdownCall = new BreakdownCall { CallId = "private-bd", Source = BreakdownCall.Types.Source.Car, RecordedAtMs = now, Consent = new BreakdownConsent { Assistance = true } },
        });
        var seq = car.NextSeq();
        await car.SendAsync(new Envelope
        {
            Seq = seq,
            EmergencyCall = new EmergencyCall
            {
                CallId = "sos-1", Trigger = EmergencyCall.Types.Trigger.Crash, OccurredAtMs = now, HeadingDeg = 270, Passengers = 2,
                Position = new Position { Latitude = 49.41, Longitude = 8.69, AccuracyM = 8, RecordedAtMs = now },
                Propulsion = EmergencyCall.Types.Propulsion.Petrol, VehicleType = "911 Carrera", CallbackNumber = "+4917699999",
            },
        });
        await car.WaitForAckAsync(seq);
        var id = await feed.NextCaseAsync("assistance.case_opened");

        var queue = await agent.GetAsync("/api/v1/assistance/cases").OkJsonAsync();
        Assert.Equal((id, "emergency"), (queue[0].GetProperty("id").GetString(), queue[0].GetProperty("kind").GetString()));
        Assert.Contains(queue.EnumerateArray(), e => e.GetProperty("kind").GetString() == "breakdown");
        Assert.DoesNotContain(queue.EnumerateArray(), e => e.GetProperty("model").GetString() == "911" && e.GetProperty("kind").GetString() == "breakdown");
        var k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal((49.41, 8.69), (k.GetProperty("position").GetProperty("latitude").GetDouble(), k.GetProperty("position").GetProperty("longitude").GetDouble()));
        var emergency = k.GetProperty("emergency");
        Assert.Equal(("crash", 2, "petrol"), (emergency.GetProperty("trigger").GetString(), emergency.GetProperty("passengers").GetInt32(), emergency.GetProperty("propulsion").GetString()));
        Assert.Equal(vin, k.GetProperty("vin").GetString());
    }

    [Fact]
    public async Task The_car_switches_the_breakdown_call_off_alone_or_with_the_services_with_location()
    {
        foreach (var switchedOff in new[]
        {
            new PrivacySettings { DisabledServices = { ServiceIds.BreakdownCall } },
            new PrivacySettings { LocationServicesDisabled = true },
        })
        {
            var owned = await server.OwnedVehicleAsync();
            await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: switchedOff);
            var seq = car.NextSeq();
            await car.SendAsync(new Envelope
            {
                Seq = seq,
                BreakdownCall = new BreakdownCall
                {
                    CallId = "off", Source = BreakdownCall.Types.Source.Car, RecordedAtMs = server.Clock.GetUtcNow().ToUnixTimeMilliseconds(),
                    Consent = new BreakdownConsent { Assistance = true },
                },
            });
            await car.WaitForAckAsync(seq);
            Assert.Empty((await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls").OkJsonAsync()).EnumerateArray());
            Assert.Equal("service_disabled", await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls", new { assistance = true })
                .CodeAsync(HttpStatusCode.Conflict));
        }
    }

    [Fact]
    public async Task After_seven_days_the_breakdown_data_is_gone_while_an_emergency_call_stays_its_ninety_days()
    {
        var owned = await server.OwnedVehicleAsync();
        var (agent, _, agentEmail) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var car = await server.ConnectAsync(owned, seed: 33);
        await car.BreakDownAsync(BreakdownKind.FlatBattery);
        var breakdown = await feed.NextCaseAsync("assistance.case_opened");
        await car.CallEmergencyAsync(EmergencyCall.Types.Trigger.SosButton, passengers: 1);
        var emergency = await feed.NextCaseAsync("assistance.case_opened");
        await agent.PostAsync($"/api/v1/assistance/cases/{breakdown}/claim", null).OkJsonAsync();
        await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{breakdown}/notes", new { note = "Jump start." }).OkJsonAsync();

        server.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        agent = await SignInAgainAsync(agentEmail); // the tokens expired meanwhile
        await agent.GetAsync($"/api/v1/assistance/cases/{breakdown}").OkJsonAsync();

        server.Clock.Advance(TimeSpan.FromMinutes(2));
        var removed = await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        agent = await SignInAgainAsync(agentEmail);
        var ownerClient = server.ClientWith((await server.SignInAsync(owned.Owner.Email, owned.Owner.Password)).AccessToken);
        Assert.True(removed.GetValueOrDefault("breakdown_calls") >= 1);
        Assert.Equal("not_found", await agent.GetAsync($"/api/v1/assistance/cases/{breakdown}").CodeAsync(HttpStatusCode.NotFound));
        var left = await ownerClient.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls").OkJsonAsync();
        Assert.Equal([emergency], left.EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        var rows = await server.Get<Pitwall.Server.Data.Database>().ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM breakdown_case_events WHERE case_id = @breakdown", new { breakdown }), CancellationToken.None);
        Assert.Equal(0, rows); // the timeline went with the case

        server.Clock.Advance(TimeSpan.FromDays(83));
        await server.Get<RetentionSweeper>().SweepAsync(CancellationToken.None);
        agent = await SignInAgainAsync(agentEmail);
        Assert.Equal("not_found", await agent.GetAsync($"/api/v1/assistance/cases/{emergency}").CodeAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Another_agents_case_another_owners_car_and_an_owner_on_assistance_routes_are_refused()
    {
        var owned = await server.OwnedVehicleAsync();
        var (agent, _, _) = await server.AgentAsync();
        var (other, _, _) = await server.AgentAsync("Olga Other");
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var car = await server.ConnectAsync(owned, seed: 34);
        await car.BreakDownAsync(BreakdownKind.Puncture);
        var id = await feed.NextCaseAsync("assistance.case_opened");
        await agent.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).OkJsonAsync();

        Assert.Equal("not_found", await other.GetAsync($"/api/v1/assistance/cases/{id}").CodeAsync(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await other.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).CodeAsync(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await other.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/actions", new { action = "tow" }).CodeAsync(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await other.GetAsync($"/api/v1/assistance/cases/{id}/timeline").CodeAsync(HttpStatusCode.NotFound));

        var stranger = await server.OwnedVehicleAsync();
        Assert.Equal("vehicle_not_found", await stranger.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls").CodeAsync(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await stranger.Client.GetAsync($"/api/v1/vehicles/{stranger.Vin}/breakdown-calls/{id}").CodeAsync(HttpStatusCode.NotFound));
        Assert.Equal("not_found", await stranger.Client.PutAsJsonAsync($"/api/v1/vehicles/{stranger.Vin}/breakdown-calls/{id}/consent", new { assistance = true })
            .CodeAsync(HttpStatusCode.NotFound));
        await owned.Client.GetAsync("/api/v1/assistance/cases").CodeAsync(HttpStatusCode.Forbidden);
        await owned.Client.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).CodeAsync(HttpStatusCode.Forbidden);
        await agent.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls").CodeAsync(HttpStatusCode.Forbidden);
        Assert.Equal("assistance_case_not_claimed", await other.PostAsJsonAsync($"/api/v1/assistance/cases/{await OpenAnotherAsync(feed)}/notes", new { note = "x" })
            .CodeAsync(HttpStatusCode.Conflict));
    }

    private async Task<HttpClient> SignInAgainAsync(string email) =>
        server.ClientWith((await server.SignInAsync(email, CarSecuritySetup.StaffPassword)).AccessToken);

    private async Task<string> OpenAnotherAsync(EventStream feed)
    {
        var owned = await server.OwnedVehicleAsync();
        await using var car = await server.ConnectAsync(owned, seed: 35);
        await car.BreakDownAsync(BreakdownKind.FlatBattery);
        return await feed.NextCaseAsync("assistance.case_opened");
    }
}

public sealed class BreakdownPrivacyOnSqlite(SqliteServer server) : BreakdownPrivacyTests(server), IClassFixture<SqliteServer>;

public sealed class BreakdownPrivacyOnPostgres(PostgresServer server) : BreakdownPrivacyTests(server), IClassFixture<PostgresServer>;
