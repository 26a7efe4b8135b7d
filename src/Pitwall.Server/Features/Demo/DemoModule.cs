using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Demo;

public sealed class DemoOptions
{
    public const string Section = "Pitwall:Demo";
    public const string Password = "pitwall-demo";

    /// <summary>Set by <c>pitwall demo</c>: demo accounts, demo vehicles and a simulated fleet driving them.</summary>
    public bool Enabled { get; set; }

    /// <summary>Simulated cars; the first <see cref="PairedWithOwner"/> belong to the demo owner.</summary>
    public int Vehicles { get; set; } = 5;

    public int PairedWithOwner { get; set; } = 3;

    /// <summary>The secret every demo car's link secret derives from (as <c>pitwall-sim --fleet-secret</c>).</summary>
    public string FleetSecret { get; set; } = Simulator.SimulatedVehicleOptions.DefaultFleetSecret;
}

/// <summary>What the README's run command shows: accounts to sign in with and cars that drive and report.</summary>
public static class DemoModule
{
    public const string OwnerEmail = "owner@demo.pitwall.dev";

    public static IReadOnlyList<(string Email, string Name, string Role)> Accounts { get; } =
    [
        (OwnerEmail, "Dana Demo", Roles.Owner),
        ("soc@demo.pitwall.dev", "Sam SOC", Roles.SocOperator),
        ("police@demo.pitwall.dev", "Demo Police", Roles.Authority),
        ("assistance@demo.pitwall.dev", "Ada Assistance", Roles.AssistanceAgent),
        ("admin@demo.pitwall.dev", "Alex Admin", Roles.Admin),
    ];

    private static readonly (string Model, int Year)[] Models =
        [("Taycan", 2025), ("911 Carrera", 2019), ("Macan Electric", 2025), ("Cayenne", 2018), ("Panamera", 2021), ("718 Cayman", 2023)];

    public static (string Model, int Year) ModelOf(int index) => Models[index % Models.Length];

    public static WebApplicationBuilder AddDemo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.Section)
            .Validate(o => o.Vehicles is >= 0 and <= 1000 && o.PairedWithOwner >= 0, "Pitwall:Demo: 0..1000 vehicles.").ValidateOnStart();
        builder.Services.AddHostedService<DemoSeeder>();
        builder.Services.AddHostedService<DemoFleet>();
        return builder;
    }
}

/// <summary>Creates the demo accounts and vehicles; leaves alone what exists (the demo never overwrites changes).</summary>
internal sealed partial class DemoSeeder(
    IOptions<DemoOptions> options, AccountAdministration administration, IAccountDirectory accounts, VehicleRegistry registry, PairingService pairing,
    ILogger<DemoSeeder> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var demo = options.Value;
        if (!demo.Enabled)
        {
            return;
        }
        foreach (var (email, name, role) in DemoModule.Accounts)
        {
            if ((await administration.CreateUserAsync(email, name, role, DemoOptions.Password, cancellationToken)).Succeeded)
            {
                LogCreated(logger, role);
            }
        }
        var owner = (await accounts.FindByEmailAsync(DemoModule.OwnerEmail, cancellationToken))!;
        var fleetSecret = System.Text.Encoding.UTF8.GetBytes(demo.FleetSecret);
        for (var i = 0; i < demo.Vehicles; i++)
        {
            var vin = Simulator.FleetVins.For(i);
            var (model, year) = DemoModule.ModelOf(i);
            await registry.RegisterAsync(new RegisterVehicleRequest(vin, model, year, "Demo Silver", $"S-PW {100 + i}",
                Convert.ToBase64String(Protocol.VehicleAuth.DeriveSecret(fleetSecret, vin))), cancellationToken);
            if (i < demo.PairedWithOwner)
            {
                await pairing.AssignPrimaryAsync(vin, owner.Id, cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the demo {Role} account")]
    private static partial void LogCreated(ILogger logger, string role);
}
