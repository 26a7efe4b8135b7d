using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Protocol;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Breakdown;

/// <summary>What the breakdown tests set up: an assistance agent, a car of an owner with the simulator connected, the agents' feed.</summary>
internal static class BreakdownSetup
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>An assistance agent, signed in.</summary>
    public static async Task<(HttpClient Client, string AccountId, string Email)> AgentAsync(this PitwallServer server, string name = "Alex Agent")
    {
        var (accountId, email) = await server.CreateStaffAsync("assistance_agent", name);
        return (server.ClientWith((await server.SignInAsync(email, CarSecuritySetup.StaffPassword)).AccessToken), accountId, email);
    }

    /// <summary>The owner's simulated car, connected, once the breakdown call is active in it.</summary>
    public static async Task<SimulatedVehicle> ConnectAsync(this PitwallServer server, OwnedVehicle owned, int seed)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = seed, RecordReceivedFrames = true,
            HealthCheckInterval = TimeSpan.Zero, BreakdownsPer1000Km = 0,
        });
        await car.ConnectAsync().WaitAsync(Patience);
        await car.WaitForFrameAsync(f => f.Configuration?.ActiveServices?.Services.Contains(ServiceIds.BreakdownCall) == true).WaitAsync(Patience);
        return car;
    }

    /// <summary>Waits for the feed's event about a case (any case when <paramref name="id"/> is null); returns the case id.</summary>
    public static async Task<string> NextCaseAsync(this EventStream feed, string type, string? id = null) =>
        (await feed.NextAsync(type, d => id is null || d.GetProperty("id").GetString() == id)).GetProperty("id").GetString()!;

    public static async Task<JsonElement> OkJsonAsync(this Task<HttpResponseMessage> request, HttpStatusCode status = HttpStatusCode.OK)
    {
        var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<string?> CodeAsync(this Task<HttpResponseMessage> request, HttpStatusCode status)
    {
        var response = await request;
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        return body.Length > 0 && JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var code) ? code.GetString() : null;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);
}
