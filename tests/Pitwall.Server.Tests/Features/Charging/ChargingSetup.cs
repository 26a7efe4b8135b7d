using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>A registered CPO (the simulator's side of OCPI) and its versions endpoint; disposing stops the endpoint.</summary>
public sealed record RegisteredCpo(OcpiCpoClient Client, CpoVersionsServer Versions, string PartnerId) : IAsyncDisposable
{
    /// <summary>The CPO's Commands module (Receiver) at the simulator's real stations.</summary>
    public CpoCommandReceiver Commands => Versions.Commands!;

    public ValueTask DisposeAsync() => Versions.DisposeAsync();
}

/// <summary>What the charging tests set up: an administrator, partners, owners with the Charging Service and their cards.</summary>
public static class ChargingSetup
{
    public static async Task<HttpClient> AdminAsync(this PitwallServer server)
    {
        var email = $"admin-{Guid.NewGuid():N}@example.com";
        await server.Get<AccountAdministration>().CreateUserAsync(email, "Ada Admin", "admin", "an admin password", CancellationToken.None);
        return server.ClientWith((await server.SignInAsync(email, "an admin password")).AccessToken);
    }

    /// <summary>An administrator creates the partner: its id and token A.</summary>
    public static async Task<(string Id, string TokenA)> NewPartnerAsync(this PitwallServer server, string name = "Simulated CPO")
    {
        var admin = await server.AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/admin/charging/partners", new { name });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var partner = await created.JsonAsync();
        return (partner.GetProperty("id").GetString()!, partner.GetProperty("tokenA").GetString()!);
    }

    /// <summary>A partner that went through the credentials handshake as the CPO <paramref name="partyId"/>.</summary>
    public static async Task<RegisteredCpo> RegisteredCpoAsync(this PitwallServer server, string partyId = "SIM")
    {
        var (id, tokenA) = await server.NewPartnerAsync();
        var tokenB = "token-b-" + Guid.NewGuid().ToString("N");
        var versions = new CpoVersionsServer(tokenB);
        var client = new OcpiCpoClient(server.Client, "DE", partyId, "CPO " + partyId);
        var answer = await client.RegisterAsync(new Uri(server.Client.BaseAddress!, "/ocpi/versions"), tokenA, versions.Versions, tokenB, CancellationToken.None);
        Assert.Equal(1000, answer.StatusCode);
        versions.Commands = new CpoCommandReceiver(client, Stations.RhineNeckar(), server.Clock);
        return new(client, versions, id);
    }

    /// <summary>An owner whose car has the Charging Service package, with one RFID card: the card as OCPI's cdr_token needs it.</summary>
    public static async Task<(OwnedVehicle Owner, JsonElement Card)> DriverWithCardAsync(this PitwallServer server)
    {
        var owned = await server.OwnedVehicleAsync("Taycan", 2025);
        var bought = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/contracts", new { packageId = "charging_service" });
        Assert.Equal(HttpStatusCode.Created, bought.StatusCode);
        var ordered = await owned.Client.PostAsync($"/api/v1/vehicles/{owned.Vin}/charging-cards", null);
        Assert.Equal(HttpStatusCode.Created, ordered.StatusCode);
        return (owned, await ordered.JsonAsync());
    }

    public static System.Text.Json.Nodes.JsonObject CdrToken(JsonElement card) =>
        OcpiObjects.CdrToken("DE", "PWL", card.GetProperty("uid").GetString()!, "RFID", card.GetProperty("contractId").GetString()!);
}
