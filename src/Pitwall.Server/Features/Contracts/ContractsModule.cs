using Microsoft.Extensions.DependencyInjection.Extensions;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Contracts;

/// <summary>
/// Packages, contracts and entitlements (REQUIREMENTS A5, B1–B4): the catalogue, eligibility by model and year,
/// purchase, withdrawal and cancellation, renewal, and the entitlement check every service asks.
/// </summary>
public static class ContractsModule
{
    public static WebApplicationBuilder AddContracts(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<ContractsText>();
        builder.Services.AddOptions<ContractsOptions>().BindConfiguration(ContractsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<PackageStore>();
        builder.Services.AddNotificationTypes(ContractNotifications.Order, ContractNotifications.All);
        builder.Services.AddNotificationTemplates(ContractNotifications.Templates);
        builder.Services.AddVehicleTab(new("/packages", "Packages", 70));
        builder.Services.AddSingleton<ContractStore>();
        builder.Services.AddSingleton<IEntitlements, ContractEntitlements>();
        builder.Services.TryAddSingleton<ITheftStatus, NoTheftCases>();
        builder.Services.AddSingleton<ICarSecurityContacts, CarSecurityContacts>();
        builder.Services.AddSingleton<ServiceConfiguration>();
        builder.Services.AddSingleton<ContractService>();
        builder.Services.AddSingleton<IVehicleRegistrationListener>(sp => sp.GetRequiredService<ContractService>());
        builder.Services.AddSingleton<IVehicleAccessListener, ContractHandOver>();
        builder.Services.AddSingleton<Privacy.IAccountErasureListener, ContractErasure>();
        builder.Services.AddSingleton<RenewalJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<RenewalJob>());
        builder.Services.AddDataCategory(new DataCategory(
            "package_catalogue", "Package catalogue",
            "Offer service packages: name, services, term, price and the vehicles each fits.",
            LegalBasis.LegitimateInterest, Retention.LifetimeOfInstallation, false, [new("packages")], []));
        builder.Services.AddDataCategory(new DataCategory(
            "contracts", "Contracts",
            "Provide the packages bought for a vehicle and keep the commercial record: buyer, package, term, renewal, price, cancellation, withdrawal and refund. A bought contract is its buyer's: when the car leaves the buyer, the next users of the car do not see it.",
            LegalBasis.LegalObligation, Retention.Years(10), true, [new("contracts", "closed_at") { AccountRows = "account_id = @accountId OR (account_id IS NULL AND buyer_left_at IS NULL AND vin = @car)" }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "car_security_details", "Car Security contact data",
            "Reach the owner and check their identity after a theft (B2): phone numbers, security question, a hash of the answer, colour, registration number.",
            LegalBasis.Contract, Retention.Days(30), true, [new("car_security_details", "closed_at") { AccountRows = "contract_id IN (SELECT id FROM contracts WHERE account_id = @accountId)", SecretColumns = ["security_answer_hash"] }], []));
        return builder;
    }

    public static WebApplication MapContracts(this WebApplication app)
    {
        app.MapContractEndpoints();
        return app;
    }
}
