using System.Net;
using System.Net.Http.Json;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator;

namespace Pitwall.Server.Tests.Features.Vehicles;

/// <summary>The simulator as the car: what a real fleet does, end to end, on each engine.</summary>
public abstract class SimulatedCarTests(PitwallServer server)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private async Task<SimulatedVehicle> StartCarAsync()
    {
        var (vin, secret) = await server.RegisterVehicleAsync();
        var car = new SimulatedVehicle(new SimulatedVehicleOptions { Server = server.Client.BaseAddress!, Vin = vin, Secret = secret, Seed = 7 });
        await car.ConnectAsync().WaitAsync(Patience);
        return car;
    }

    [Fact]
    public async Task A_simulated_car_is_paired_by_its_code_drives_and_its_status_follows()
    {
        await using var car = await StartCarAsync();
        var owner = await server.NewOwnerAsync();
        var client = server.ClientWith(owner.AccessToken);
        var shown = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        car.PairingCodeShown += (_, code) => shown.TrySetResult(code);
        var pairingId = (await (await client.PostAsJsonAsync("/api/v1/pairings", new { vin = car.Vin })).JsonAsync()).GetProperty("id").GetString();
        var code = await shown.Task.WaitAsync(Patience);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/pairings/{pairingId}/confirm", new { code })).StatusCode);

        await car.StartEngineAsync();
        await car.DriveAsync(TimeSpan.FromMinutes(3));
        await car.StopEngineAsync();
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var status = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/status")).JsonAsync();
        Assert.Equal(car.Odometer, status.GetProperty("signals").GetProperty(SignalCatalog.Odometer.Path).GetProperty("value").GetDouble(), 1);
        var location = await (await client.GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal(car.Position.Latitude, location.GetProperty("latitude").GetDouble(), 6);

        // A refresh is answered by the simulated car itself.
        var refreshed = await client.PostAsync($"/api/v1/vehicles/{car.Vin}/status/refresh", null);
        Assert.Equal(HttpStatusCode.OK, refreshed.StatusCode);
    }

    [Fact]
    public async Task When_the_simulators_connection_is_killed_mid_stream_every_report_arrives_exactly_once()
    {
        await using var car = await StartCarAsync();
        await car.StartEngineAsync();
        for (var i = 0; i < 40; i++)
        {
            await car.SendStatusAsync(Trigger.Periodic);
        }
        car.Abort(); // mid-stream: some reports sent, some acked, some still queued
        for (var i = 0; i < 20; i++)
        {
            await car.SendStatusAsync(Trigger.Periodic); // buffered while offline
        }
        await car.ConnectAsync().WaitAsync(Patience);
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);

        var stored = server.Ingested.Where(i => i.Vin == car.Vin).Select(i => i.Seq).ToList();
        Assert.Equal(stored.Distinct().Count(), stored.Count); // nothing twice
        Assert.Equal((long)car.LastSeq, stored.Max());
        Assert.Equal(car.Queued, stored.Count); // nothing lost: every report the car made is stored
    }

    [Fact]
    public async Task A_simulated_car_in_private_mode_shares_nothing()
    {
        await using var car = await StartCarAsync();
        var owner = await server.NewOwnerAsync();
        await server.Get<Pitwall.Server.Features.Vehicles.PairingService>().AssignPrimaryAsync(car.Vin, await AccountIdAsync(owner), CancellationToken.None);
        await car.SetPrivacyAsync(new PrivacySettings { PrivateMode = true });
        await car.StartEngineAsync();
        await car.DriveAsync(TimeSpan.FromMinutes(1));
        await car.WaitUntilAllAckedAsync().WaitAsync(Patience);
        var location = await (await server.ClientWith(owner.AccessToken).GetAsync($"/api/v1/vehicles/{car.Vin}/location")).JsonAsync();
        Assert.Equal("privacy_mode", location.GetProperty("unavailable").GetString());
    }

    private async Task<string> AccountIdAsync(TestUser user) =>
        (await (await server.ClientWith(user.AccessToken).GetAsync("/api/v1/me")).JsonAsync()).GetProperty("id").GetString()!;
}

public sealed class SimulatedCarOnSqlite(SqliteServer server) : SimulatedCarTests(server), IClassFixture<SqliteServer>;

public sealed class SimulatedCarOnPostgres(PostgresServer server) : SimulatedCarTests(server), IClassFixture<PostgresServer>;
