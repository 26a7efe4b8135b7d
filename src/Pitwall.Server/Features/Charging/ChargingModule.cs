using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Features.Charging.Invoices;
using Pitwall.Server.Features.Charging.Ocpi;
using Pitwall.Server.Features.Charging.Sessions;
using Pitwall.Server.Features.Charging.Stations;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Charging;

/// <summary>
/// The Charging Service (REQUIREMENTS G1–G3): Pitwall as an OCPI 2.2.1 eMSP. Charge point operators register with the credentials
/// handshake, pull the accounts' tokens and ask for real-time authorisation, and push their locations, tariffs, sessions and charge
/// detail records; owners order and block charging cards under a contract id Pitwall generates.
/// </summary>
public static class ChargingModule
{
    public static WebApplicationBuilder AddCharging(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChargingOptions>().BindConfiguration(ChargingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddProvidedServices("Charging", ServiceIds.Charging);
        builder.Services.AddPortalTexts<ChargingText>();
        builder.Services.AddVehicleTab(new("/charging-cards", "Charging cards", 25, ServiceIds.Charging));
        builder.Services.AddVehicleTab(new("/public-charging", "Public charging", 26, ServiceIds.Charging));
        builder.Services.AddProcessorGateway();
        builder.Services.AddHttpClient(OcpiPeerClient.ClientName, (sp, client) =>
                client.Timeout = sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChargingOptions>>().Value.PartnerTimeout)
            .AddProcessorGateway();
        builder.Services.AddSingleton<OcpiUrls>();
        builder.Services.AddSingleton<OcpiPeerClient>();
        builder.Services.AddSingleton<PartnerStore>();
        builder.Services.AddSingleton<ChargingTokenStore>();
        builder.Services.AddSingleton<TokenAuthorizer>();
        builder.Services.AddSingleton<OcpiTokenLookup>();
        builder.Services.AddSingleton<PartnerObjectStore>();
        builder.Services.AddSingleton<ChargeRecordStore>();
        builder.Services.AddSingleton<IChargingCards, ChargingCards>();
        builder.Services.AddSingleton<ChargingCommandStore>();
        builder.Services.AddSingleton<ChargingCommandSender>();
        builder.Services.AddSingleton<ChargingCommandEvents>();
        builder.Services.AddSingleton<LiveSessions>();
        builder.Services.AddSingleton<IPublicCharging, PublicCharging>();
        builder.Services.AddSingleton<IChargingStations, ChargingStations>();
        builder.Services.AddSingleton<CommandTimeoutJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CommandTimeoutJob>());
        builder.Services.AddSingleton<InvoiceStore>();
        builder.Services.AddSingleton<PaymentCardStore>();
        builder.Services.AddKeyedSingleton<IPaymentProvider, LocalPaymentProvider>(LocalPaymentProvider.ProviderName);
        // A real provider registers itself keyed by its name beside the local one; Charging:PaymentProvider picks it.
        builder.Services.AddSingleton(sp => sp.GetRequiredKeyedService<IPaymentProvider>(
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChargingOptions>>().Value.PaymentProvider));
        builder.Services.AddSingleton<InvoiceRun>();
        builder.Services.AddSingleton<IInvoiceRuns, InvoiceRuns>();
        builder.Services.AddSingleton<CreditNotes>();
        builder.Services.AddSingleton<IChargingInvoices, ChargingInvoices>();
        builder.Services.AddSingleton<InvoiceJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<InvoiceJob>());
        builder.Services.AddNotificationTypes(InvoiceNotifications.Order, InvoiceNotifications.All);
        builder.Services.AddNotificationTemplates(InvoiceNotifications.Templates);
        builder.Services.AddDataCategory(ChargingDataCategories.Invoices);
        builder.Services.AddDataCategory(ChargingDataCategories.InvoiceNumbers);
        builder.Services.AddDataCategory(ChargingDataCategories.PaymentCards);
        builder.Services.AddDataCategory(ChargingDataCategories.Contracts);
        builder.Services.AddDataCategory(ChargingDataCategories.ChargeRecords);
        builder.Services.AddDataCategory(ChargingDataCategories.Network);
        return builder;
    }

    public static WebApplication MapCharging(this WebApplication app)
    {
        var ocpi = app.MapGroup(OcpiUrls.Root).AllowAnonymous().ExcludeFromDescription();
        ocpi.MapOcpiCredentials();
        var modules = ocpi.MapGroup("/" + OcpiUrls.Version).AddEndpointFilter(new OcpiAuthFilter(registrationAllowed: false));
        modules.MapOcpiTokens();
        modules.MapOcpiLocations();
        modules.MapOcpiTariffs();
        modules.MapOcpiSessions();
        modules.MapOcpiCdrs();
        modules.MapOcpiCommands();
        app.MapPartnerAdminEndpoints();
        app.MapChargingCardEndpoints();
        app.MapChargingCommandEndpoints();
        app.MapLiveSessionEndpoints();
        app.MapStationEndpoints();
        app.MapInvoiceEndpoints();
        return app;
    }
}
