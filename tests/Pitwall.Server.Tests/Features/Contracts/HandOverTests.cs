using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Contracts;

/// <summary>
/// A car changes hands: owner A buys packages and gives a consent, unpairs the car, and owner B pairs it with the code the car
/// shows. A bought package belongs to its buyer; what came with the car stays with the car.
/// </summary>
public abstract class HandOverTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private static readonly object SecurityData = new
    {
        phoneNumbers = new[] { "+491701234567" }, securityQuestion = "Name of my first car?", securityAnswer = "Blue Whale",
        colour = "Frozen Blue", registrationNumber = "S-PW 911",
    };

    private static async Task<string> BoughtAsync(HttpClient client, string vin, string packageId, object? carSecurity = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/vehicles/{vin}/contracts", new { packageId, carSecurity });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetString()!;
    }

    private async Task PairWithCodeAsync(SimulatedVehicle car, HttpClient client)
    {
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        car.PairingCodeShown += (_, code) => shown.TrySetResult(code);
        var pairingId = (await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin })).JsonAsync()).GetProperty("id").GetString();
        var code = await shown.Task.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code })).StatusCode);
    }

    private static async Task<JsonElement> BuyersContractAsync(HttpClient client, string id) =>
        (await (await client.GetAsync("/api/v1/contracts")).JsonAsync()).EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    [Fact]
    public async Task After_a_hand_over_the_new_owner_sees_none_of_the_old_owners_contracts_and_the_old_owner_is_told_their_renewal_stopped()
    {
        var a = await server.OwnedVehicleAsync();
        await using var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = a.Vin, Secret = a.Secret, Seed = 5 });
        await car.ConnectAsync().WaitAsync(Patience);
        var remote = await BoughtAsync(a.Client, a.Vin, "connect_remote");
        var security = await BoughtAsync(a.Client, a.Vin, "car_security", SecurityData);
        var consent = (await (await a.Client.PostAsJsonAsync("/api/v1/me/consents", new { vin = a.Vin, purpose = "breakdown_data_sharing", scope = "case 7" }))
            .JsonAsync()).GetProperty("id").GetString();
        Assert.NotNull(await server.Get<ICarSecurityContacts>().ForVehicleAsync(a.Vin, CancellationToken.None));

        Assert.Equal(HttpStatusCode.NoContent, (await a.Client.DeleteAsync($"/api/v1/vehicles/{a.Vin}")).StatusCode);
        var b = await server.NewOwnerAsync();
        var bClient = server.ClientWith(b.AccessToken);
        await PairWithCodeAsync(car, bClient);

        // B sees what came with the car, nothing of A's, and can neither withdraw nor cancel A's contracts.
        var seen = (await (await bClient.GetAsync($"/api/v1/vehicles/{a.Vin}/contracts")).JsonAsync()).EnumerateArray().ToList();
        Assert.All(seen, c => Assert.True(c.GetProperty("included").GetBoolean()));
        Assert.Contains(seen, c => c.GetProperty("packageId").GetString() == "connect_care");
        foreach (var id in new[] { remote, security })
        {
            await (await bClient.PostAsync($"/api/v1/contracts/{id}/withdraw", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            await (await bClient.PostAsync($"/api/v1/contracts/{id}/cancel", null)).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        }
        Assert.Empty((await (await bClient.GetAsync("/api/v1/contracts")).JsonAsync()).EnumerateArray());
        // A's packages no longer serve the car: B buys their own, and A's security contacts are not B's.
        await (await bClient.PostAsJsonAsync($"/api/v1/vehicles/{a.Vin}/commands", new { type = "flash" })).AssertProblemAsync(HttpStatusCode.Forbidden, "not_entitled");
        var offer = (await (await bClient.GetAsync($"/api/v1/vehicles/{a.Vin}/offers")).JsonAsync()).EnumerateArray()
            .Single(o => o.GetProperty("package").GetProperty("id").GetString() == "connect_remote");
        Assert.True(offer.GetProperty("available").GetBoolean());
        Assert.Null(await server.Get<ICarSecurityContacts>().ForVehicleAsync(a.Vin, CancellationToken.None));

        // A is told, A's renewals stopped, A still holds the contracts (and may withdraw within the period).
        var told = (await NotificationInbox.ReadAsync(a.Client)).Where(n => n.GetProperty("type").GetString() == "contract.renewal_stopped").ToList();
        Assert.Equal(2, told.Count);
        Assert.All(told, n => Assert.Equal(a.Vin, n.GetProperty("vin").GetString()));
        Assert.DoesNotContain(await NotificationInbox.ReadAsync(bClient), n => n.GetProperty("type").GetString()!.StartsWith("contract.", StringComparison.Ordinal));
        var kept = await BuyersContractAsync(a.Client, security);
        Assert.Equal(("active", false, "buyer_left"), (kept.GetProperty("state").GetString(), kept.GetProperty("autoRenew").GetBoolean(),
            kept.GetProperty("cancelChannel").GetString()));
        Assert.NotEqual(JsonValueKind.Null, kept.GetProperty("buyerLeftAt").ValueKind);
        var withdrawn = await (await a.Client.PostAsync($"/api/v1/contracts/{remote}/withdraw", null)).JsonAsync();
        Assert.Equal("withdrawn", withdrawn.GetProperty("state").GetString());

        // A's consents for the car were withdrawn when A's access ended.
        var consents = (await (await a.Client.GetAsync("/api/v1/me/consents")).JsonAsync()).EnumerateArray();
        Assert.NotEqual(JsonValueKind.Null, consents.Single(c => c.GetProperty("id").GetString() == consent).GetProperty("withdrawnAt").ValueKind);
        Assert.False(await server.Get<Consents>().IsGivenAsync(a.Vin, "breakdown_data_sharing", "case 7", CancellationToken.None));

        // At the end of its term A's package expires instead of renewing.
        server.Clock.Advance(kept.GetProperty("endsAt").GetDateTimeOffset() - server.Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
        await server.Get<RenewalJob>().RunOnceAsync(CancellationToken.None);
        var aClient = server.ClientWith((await server.SignInAsync(a.Owner.Email, a.Owner.Password)).AccessToken);
        Assert.Equal("expired", (await BuyersContractAsync(aClient, security)).GetProperty("state").GetString());
    }
}

public sealed class HandOverOnSqlite(ContractsSqliteServer server) : HandOverTests(server), IClassFixture<ContractsSqliteServer>;

public sealed class HandOverOnPostgres(ContractsPostgresServer server) : HandOverTests(server), IClassFixture<ContractsPostgresServer>;
