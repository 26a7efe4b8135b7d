using System.Net;
using System.Net.Http.Json;
using Pitwall.Server.Features.Accounts;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>What the Car Security tests set up: staff accounts, the B2 data of the package, a car with it bought and connected.</summary>
public static class CarSecuritySetup
{
    public const string Answer = "Blue Whale";
    public const string Registration = "S-PW 911";
    public const string StaffPassword = "correct horse battery";

    /// <summary>The B2 data of a Car Security purchase: two numbers to call, the security question and answer, colour, registration.</summary>
    /// <param name="answer">The security answer as the buyer typed it.</param>
    public static object SecurityDetails(string answer = Answer) => new
    {
        phoneNumbers = new[] { "+491701234567", "+49711123456" }, securityQuestion = "Name of my first car?", securityAnswer = answer,
        colour = "Frozen Blue", registrationNumber = Registration,
    };

    /// <summary>A staff account (soc_operator, authority) with <see cref="StaffPassword"/>.</summary>
    public static async Task<(string AccountId, string Email)> CreateStaffAsync(this PitwallServer server, string role, string name)
    {
        var email = $"{role}-{Guid.NewGuid():N}@example.com";
        var created = await server.Get<AccountAdministration>().CreateUserAsync(email, name, role, StaffPassword, CancellationToken.None);
        Assert.True(created.Succeeded, created.Error);
        return (created.AccountId!, email);
    }

    /// <summary>An owner's car with Car Security bought (B2 data given).</summary>
    public static async Task<(OwnedVehicle Owned, string ContractId)> SecuredVehicleAsync(this PitwallServer server, object securityDetails)
    {
        var owned = await server.OwnedVehicleAsync();
        var bought = await owned.Client.PostAsJsonAsync($"/api/v1/vehicles/{owned.Vin}/contracts", new { packageId = "car_security", carSecurity = securityDetails });
        Assert.True(bought.StatusCode == HttpStatusCode.Created, await bought.Content.ReadAsStringAsync());
        return (owned, (await bought.JsonAsync()).GetProperty("id").GetString()!);
    }

    /// <summary>The simulated car of <paramref name="owned"/>, connected (no health checks of its own).</summary>
    /// <param name="fresh">The car's first connection: it waits for the services its packages make active. A later instance
    /// for the same VIN gets only what the outbox still holds (the car acked the rest).</param>
    public static async Task<SimulatedVehicle> ConnectCarAsync(this PitwallServer server, OwnedVehicle owned, int seed, TimeSpan patience, bool fresh = true)
    {
        var car = new SimulatedVehicle(new SimulatedVehicleOptions
        {
            Server = server.Client.BaseAddress!, Vin = owned.Vin, Secret = owned.Secret, Seed = seed, RecordReceivedFrames = true, HealthCheckInterval = TimeSpan.Zero,
        });
        await car.ConnectAsync().WaitAsync(patience);
        if (fresh)
        {
            await car.WaitForFrameAsync(f => f.Configuration?.ActiveServices?.Services.Contains("car_security") == true).WaitAsync(patience);
        }
        return car;
    }
}
