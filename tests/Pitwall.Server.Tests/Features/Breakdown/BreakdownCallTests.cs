using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Features.Dealers;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Breakdown;

/// <summary>Connect Care II (F2): a breakdown call from the car and from the app, through the assistance centre to help and closing.</summary>
public abstract class BreakdownCallTests(PitwallServer server)
{
    [Fact]
    public async Task A_breakdown_from_the_car_is_diagnosed_live_values_are_asked_help_is_sent_the_driver_told_the_dealer_gets_the_snapshot()
    {
        var owned = await server.OwnedVehicleAsync();
        var dealers = new DealerSetup(server);
        var dealerId = await dealers.DealerAsync("Porsche Zentrum Test");
        (await owned.Client.PutAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/dealer", new { dealerId })).EnsureSuccessStatusCode();
        var (agent, _, _) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var car = await server.ConnectAsync(owned, seed: 21);

        var callId = await car.BreakDownAsync(BreakdownKind.FlatBattery); // the driver shares everything (the car's default answers)
        var id = await feed.NextCaseAsync("assistance.case_opened");
        var queue = await agent.GetAsync("/api/v1/assistance/cases").OkJsonAsync();
        var entry = queue.EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal(("breakdown", "waiting", "Taycan"), (entry.GetProperty("kind").GetString(), entry.GetProperty("state").GetString(), entry.GetProperty("model").GetString()));
        Assert.False(entry.TryGetProperty("vin", out _)); // the queue shows only what is needed to take the call

        Assert.Equal("claimed", (await agent.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).OkJsonAsync()).GetProperty("state").GetString());
        var k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal(owned.Vin, k.GetProperty("vin").GetString());
        Assert.Equal(JsonValueKind.Object, k.GetProperty("position").ValueKind);
        Assert.Equal("+491701234567", k.GetProperty("callbackNumber").GetString());
        Assert.Contains(k.GetProperty("snapshot").GetProperty("faults").EnumerateArray(), f => f.GetProperty("code").GetString() == "P0AFA");
        var diagnosis = k.GetProperty("diagnosis");
        Assert.Equal(("do_not_drive", "tow"), (diagnosis.GetProperty("severity").GetString(), diagnosis.GetProperty("recommendation").GetString()));
        Assert.Contains(diagnosis.GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "hv_battery_low");
        Assert.Empty(k.GetProperty("withheld").EnumerateArray());

        // Live diagnosis: the car answers within seconds, the answer comes on the timeline.
        var asked = await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/live-diagnosis", new { values = new[] { "battery_voltage", "coolant_temperature" } })
            .OkJsonAsync(HttpStatusCode.Accepted);
        var requestId = asked.GetProperty("requestId").GetString()!;
        await feed.NextAsync("assistance.case_updated", d => d.TryGetProperty("liveDiagnosis", out var r) && r.GetString() == requestId);
        var timeline = await agent.GetAsync($"/api/v1/assistance/cases/{id}/timeline").OkJsonAsync();
        var answer = timeline.EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "live_diagnosis_answered").GetProperty("liveDiagnosis");
        var values = answer.GetProperty("values").EnumerateArray().ToDictionary(v => v.GetProperty("name").GetString()!, v => v.GetProperty("value").GetDouble());
        Assert.Equal(10.4, values["battery_voltage"]);
        Assert.Equal(2, values.Count);
        Assert.Contains(answer.GetProperty("diagnosis").GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "flat_12v_battery");

        // Roadside help, then a tow to the dealer: the driver is told each time, in the app and on the car's screen.
        var sent = await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/actions", new { action = "roadside_help", etaMinutes = 30 }).OkJsonAsync();
        Assert.Equal("help_sent", sent.GetProperty("state").GetString());
        await car.WaitForFrameAsync(f => f.BreakdownStatus is { State: BreakdownStatus.Types.State.HelpSent } s && s.CallId == callId && s.EtaMs > 0).WaitAsync(BreakdownSetup.Patience);
        var towed = await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/actions", new { action = "tow", etaMinutes = 45, dealerId }).OkJsonAsync();
        Assert.Equal(("tow_ordered", dealerId), (towed.GetProperty("state").GetString(), towed.GetProperty("towDealerId").GetString()));
        var tow = await car.WaitForFrameAsync(f => f.BreakdownStatus is { State: BreakdownStatus.Types.State.TowOrdered }).WaitAsync(BreakdownSetup.Patience);
        Assert.Equal("Porsche Zentrum Test", tow.Envelope.BreakdownStatus.Destination.Name);
        await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/notes", new { note = "Driver safe at the service area." }).OkJsonAsync();
        Assert.Equal("closed", (await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/close", new { }).OkJsonAsync()).GetProperty("state").GetString());

        var inbox = (await NotificationInbox.ReadAsync(owned.Client)).Where(n => n.GetProperty("type").GetString()!.StartsWith("breakdown.", StringComparison.Ordinal))
            .Select(n => n.GetProperty("message").GetString()!).ToList();
        Assert.Contains(inbox, m => m.StartsWith("Your breakdown call has reached", StringComparison.Ordinal));
        Assert.Contains(inbox, m => m.StartsWith("Roadside help is on its way; estimated arrival", StringComparison.Ordinal));
        Assert.Contains(inbox, m => m.Contains("takes your car to Porsche Zentrum Test", StringComparison.Ordinal));
        Assert.Contains(inbox, m => m.Contains("is closed", StringComparison.Ordinal));
        var mine = await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls/{id}").OkJsonAsync();
        Assert.Equal("closed", mine.GetProperty("state").GetString());
        Assert.DoesNotContain(mine.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("kind").GetString() == "note"); // the agents' notes stay theirs

        // The dealer of the driver's choice has the snapshot to prepare the next service.
        var (staff, _) = await dealers.StaffAsync(dealerId);
        var shared = await staff.GetAsync("/api/v1/dealer/breakdowns").OkJsonAsync();
        var forDealer = shared.EnumerateArray().Single(s => s.GetProperty("id").GetString() == id);
        Assert.Equal(owned.Vin, forDealer.GetProperty("vin").GetString());
        Assert.Contains(forDealer.GetProperty("snapshot").GetProperty("faults").EnumerateArray(), f => f.GetProperty("code").GetString() == "P0AFA");
    }

    [Fact]
    public async Task A_breakdown_from_the_app_asks_the_car_for_its_snapshot_and_a_second_call_waits_for_the_first()
    {
        var owned = await server.OwnedVehicleAsync();
        var (agent, _, _) = await server.AgentAsync();
        await using var feed = await EventStream.OpenAsync(agent, "/api/v1/assistance/events");
        await using var car = await server.ConnectAsync(owned, seed: 22);
        await car.BreakDownAsync(BreakdownKind.Puncture, call: false); // the driver calls from the app instead

        var started = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls",
            new { assistance = true, position = true, callbackNumber = "+4915112345678" }).OkJsonAsync(HttpStatusCode.Accepted);
        var id = started.GetProperty("id").GetString()!;
        Assert.Equal("app", started.GetProperty("source").GetString());
        Assert.Contains(started.GetProperty("state").GetString(), new[] { "requested", "waiting" }); // waiting once the car answered
        Assert.True(started.GetProperty("consent").GetProperty("assistance").GetBoolean());
        await car.WaitForFrameAsync(f => f.BreakdownDataRequest?.CallId == id).WaitAsync(BreakdownSetup.Patience);
        await feed.NextCaseAsync("assistance.case_updated", id); // the car's snapshot arrived

        var k = await agent.GetAsync($"/api/v1/assistance/cases/{id}").OkJsonAsync();
        Assert.Equal(("waiting", "+4915112345678"), (k.GetProperty("state").GetString(), k.GetProperty("callbackNumber").GetString()));
        Assert.Contains(k.GetProperty("diagnosis").GetProperty("findings").EnumerateArray(), f => f.GetProperty("rule").GetString() == "tyre_pressure_loss");
        Assert.Equal("roadside_help", k.GetProperty("diagnosis").GetProperty("recommendation").GetString());
        Assert.Equal(JsonValueKind.Object, k.GetProperty("position").ValueKind);

        Assert.Equal("breakdown_call_open", await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls", new { assistance = true })
            .CodeAsync(HttpStatusCode.Conflict));
        await agent.PostAsync($"/api/v1/assistance/cases/{id}/claim", null).OkJsonAsync();
        await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/actions", new { action = "solved_by_phone" }).OkJsonAsync();
        await agent.PostAsJsonAsync($"/api/v1/assistance/cases/{id}/close", new { note = "Tyre repair kit used." }).OkJsonAsync();
        var list = await owned.Client.GetAsync($"/api/v1/vehicles/{owned.Vin}/breakdown-calls").OkJsonAsync();
        Assert.Equal(("closed", "solved_by_phone"), (list[0].GetProperty("state").GetString(), list[0].GetProperty("action").GetString()));
    }
}

public sealed class BreakdownCallOnSqlite(SqliteServer server) : BreakdownCallTests(server), IClassFixture<SqliteServer>;

public sealed class BreakdownCallOnPostgres(PostgresServer server) : BreakdownCallTests(server), IClassFixture<PostgresServer>;
