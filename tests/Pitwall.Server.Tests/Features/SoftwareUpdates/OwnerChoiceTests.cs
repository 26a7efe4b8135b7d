using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using static Pitwall.Server.Tests.Features.SoftwareUpdates.LinkUpdateTests;

namespace Pitwall.Server.Tests.Features.SoftwareUpdates;

/// <summary>The owner's say in software updates (F3): preferences per update kind and the answer to one offered update decide
/// what the offer tells the car, on each engine.</summary>
public abstract class OwnerChoiceTests(PitwallServer server)
{
    [Fact]
    public async Task The_owners_preference_and_answers_decide_what_the_offer_tells_the_car_and_a_mandatory_update_cannot_wait()
    {
        var admin = await UpdateAdmin.SignInAsync(server);
        var (moduleId, _) = await admin.ModuleAsync("head-unit", $"25.{Random.Shared.Next()}", "head-unit.img", [1, 2, 3]);
        var featureSet = await admin.SetAsync("Head unit", $"{Random.Shared.Next()}", [moduleId], updateKind: "feature");
        var securitySet = await admin.SetAsync("Head unit fix", $"{Random.Shared.Next()}", [moduleId], updateKind: "security");
        var owned = await server.OwnedVehicleAsync();
        var software = $"/api/v1/vehicles/{owned.Vin}/software";
        await using var car = await TestCar.ConnectAsync(server.Client.BaseAddress!, owned.Vin, owned.Secret, privacy: new PrivacySettings());
        await PollAsync(car, "start");
        var state = await (await owned.Client.GetAsync(software)).JsonAsync();
        Assert.Equal(("automatic", "ask", "automatic"), (state.GetProperty("preferences").GetProperty("security").GetString(),
            state.GetProperty("preferences").GetProperty("feature").GetString(), state.GetProperty("preferences").GetProperty("maintenance").GetString()));

        var actionId = await admin.AssignAsync(featureSet, owned.Vin, "soft");
        Assert.Equal("ask", (await PollAsync(car, "p1")).OwnerDecision);
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PutAsJsonAsync($"{software}/preferences", new { updateKind = "feature", decision = "never" })).StatusCode);
        Assert.Equal("decline", (await PollAsync(car, "p2")).OwnerDecision);
        await (await owned.Client.PutAsJsonAsync($"{software}/preferences", new { updateKind = "feature", decision = "sometimes" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        state = await (await owned.Client.PostAsJsonAsync($"{software}/updates/{actionId}/postpone", new { days = 2 })).JsonAsync();
        var open = state.GetProperty("targets")[0].GetProperty("open");
        Assert.Equal("postponed", open.GetProperty("ownerChoice").GetString());
        Assert.True(open.GetProperty("postponedUntil").GetDateTimeOffset() > server.Get<TimeProvider>().GetUtcNow().AddDays(1));
        Assert.Equal("wait", (await PollAsync(car, "p3")).OwnerDecision);
        Assert.Equal(HttpStatusCode.OK, (await owned.Client.PostAsync($"{software}/updates/{actionId}/accept", null)).StatusCode);
        Assert.Equal("install", (await PollAsync(car, "p4")).OwnerDecision);
        var history = (await admin.StateAsync(owned.Vin)).GetProperty("actions")[0].GetProperty("history");
        Assert.Contains(history.EnumerateArray(), h => h.GetProperty("execution").GetString() == "owner_accepted");

        await ReportAsync(car, (ulong)actionId, "closed", "success");
        await (await owned.Client.PostAsync($"{software}/updates/{actionId}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict, "update_not_open");
        var forced = await admin.AssignAsync(securitySet, owned.Vin, "forced");
        await (await owned.Client.PostAsJsonAsync($"{software}/updates/{forced}/postpone", new { days = 1 }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "update_forced");
        Assert.Equal("install", (await PollAsync(car, "p5")).OwnerDecision);

        // Another car's update is none of this car's users' business.
        var other = await server.OwnedVehicleAsync();
        await (await other.Client.PostAsync($"/api/v1/vehicles/{other.Vin}/software/updates/{forced}/accept", null))
            .AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }
}

public sealed class OwnerChoicesOnSqlite(UpdateSqliteServer server) : OwnerChoiceTests(server), IClassFixture<UpdateSqliteServer>;

public sealed class OwnerChoicesOnPostgres(UpdatePostgresServer server) : OwnerChoiceTests(server), IClassFixture<UpdatePostgresServer>;
