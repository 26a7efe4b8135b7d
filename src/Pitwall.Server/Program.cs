using Pitwall.Server.Cluster;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Features.Breakdown;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.ChargingAndClimate;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Dealers;
using Pitwall.Server.Features.Demo;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.LocationAlarm;
using Pitwall.Server.Features.MapUpdates;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.OwnersManual;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.SmartService;
using Pitwall.Server.Features.SoftwareUpdates;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Features.Trips;
using Pitwall.Server.Features.UsageStatistics;
using Pitwall.Server.Features.ValetAlarm;
using Pitwall.Server.Features.VehicleAlarm;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server;

/// <summary>Composition only: which modules make up Pitwall, in which order.</summary>
public static class Program
{
    public static Task<int> Main(string[] args) => PitwallCommandLine.Create(BuildApp, [AccountCommands.Create, ClientCommands.Create, VehicleCommands.Create, ContractCommands.Create, PrivacyCommands.Create, DealerCommands.Create, SoftwareUpdateCommands.Create, MapCommands.Create, Features.Charging.Invoices.InvoiceCommands.Create]).Parse(args).InvokeAsync();

    public static WebApplication BuildApp(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        builder.AddHosting();
        builder.AddData();
        builder.AddCluster();
        builder.AddAccounts();
        builder.AddPrivacy();
        builder.AddLiveEvents();
        builder.AddUsageStatistics();
        builder.AddGateway();
        builder.AddVehicles();
        builder.AddStatus();
        builder.AddNotifications();
        builder.AddVehicleAlarm();
        builder.AddValetAlarm();
        builder.AddOwnersManual();
        builder.AddContracts();
        builder.AddCarSecurity();
        builder.AddCommands();
        builder.AddChargingAndClimate();
        builder.AddCharging();
        builder.AddTrips();
        builder.AddLocationAlarm();
        builder.AddSmartService();
        builder.AddDealers();
        builder.AddSoftwareUpdates();
        builder.AddMapUpdates();
        builder.AddBreakdown();
        builder.AddDemo();
        builder.AddWeb();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseTrustedProxies();
        app.UseGateway();
        app.UsePrivacy();
        app.UseHosting();
        app.UseWeb();
        app.UseAccessControl();
        app.MapHosting();
        app.MapAccounts();
        app.MapPrivacy();
        app.MapLiveEvents();
        app.MapGateway();
        app.MapVehicles();
        app.MapStatus();
        app.MapCommands();
        app.MapChargingAndClimate();
        app.MapCharging();
        app.MapTrips();
        app.MapLocationAlarm();
        app.MapSmartService();
        app.MapContracts();
        app.MapCarSecurity();
        app.MapNotifications();
        app.MapVehicleAlarm();
        app.MapValetAlarm();
        app.MapOwnersManual();
        app.MapDealers();
        app.MapBreakdown();
        app.MapUsageStatistics();
        app.MapSoftwareUpdates();
        app.MapMapUpdates();
        app.MapWeb();
        return app;
    }
}
