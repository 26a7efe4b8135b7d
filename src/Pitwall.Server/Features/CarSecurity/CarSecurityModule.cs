using Microsoft.Extensions.DependencyInjection.Extensions;
using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>
/// Car Security (REQUIREMENTS E1–E5, B4): theft tracking from the car, the security operation centre's cases and workflow,
/// the hand-over to the authorities with a report, the owner's trigger-reason switches and theft reports, the monthly
/// health check, and the "stolen" answer the contracts feature asks before Car Security is cancelled or bought.
/// </summary>
public static class CarSecurityModule
{
    public static WebApplicationBuilder AddCarSecurity(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<CarSecurityText>();
        builder.Services.AddProvidedServices("CarSecurity", ServiceIds.CarSecurity);
        builder.Services.AddNotificationTypes(TheftNotifications.Order, TheftNotifications.All);
        builder.Services.AddNotificationTemplates(TheftNotifications.Templates);
        builder.Services.AddVehicleTab(new("/security", "Car Security", 60, ServiceIds.CarSecurity));
        builder.Services.AddOptions<CarSecurityOptions>().BindConfiguration(CarSecurityOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<TheftCaseStore>();
        builder.Services.AddSingleton<UncoveredThefts>();
        builder.Services.AddSingleton<SocFeed>();
        builder.Services.AddSingleton<TheftConfiguration>();
        builder.Services.AddSingleton<TheftCaseOpening>();
        builder.Services.AddSingleton<SocWorkflow>();
        builder.Services.AddSingleton<OwnerCarSecurity>();
        builder.Services.AddSingleton<AuthorityTracking>();
        builder.Services.AddSingleton<CaseReports>();
        builder.Services.AddSingleton<IVehicleAccessListener>(sp => sp.GetRequiredService<OwnerCarSecurity>());
        builder.Services.AddSingleton<IVehicleMessageHandler, TheftTrackingHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler, HealthCheckHandler>();
        builder.Services.Replace(ServiceDescriptor.Singleton<ITheftStatus, TheftStatus>());
        builder.Services.AddSingleton<HealthCheckJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HealthCheckJob>());
        builder.Services.AddDataCategory(Cases);
        builder.Services.AddDataCategory(Settings);
        builder.Services.AddDataCategory(HealthChecks);
        builder.Services.AddDataCategory(Uncovered);
        return builder;
    }

    public static WebApplication MapCarSecurity(this WebApplication app)
    {
        app.MapSocEndpoints();
        app.MapAuthorityEndpoints();
        app.MapCarSecurityEndpoints();
        return app;
    }

    private const string OwnersCases = "case_id IN (SELECT id FROM theft_cases WHERE owner_account_id = @accountId)";

    internal static DataCategory Cases { get; } = new(
        Id: "theft_cases",
        Name: "Theft cases",
        Purpose: "Track a stolen car and hand the theft to the police (E2, E3): the case, every tracking message the car sent in theft mode " +
                 "(position with GSM cell, speed, ignition and engine, range, mileage, battery voltage or fuel level, antenna state), the calls " +
                 "to the owner with their outcomes, and the audit log of every action of the security centre and the authority.",
        LegalBasis: LegalBasis.LegalObligation,
        Retention: new(RetentionKind.Period, TimeSpan.FromDays(10 * 365), "10 years after the case closed (evidence for the police and insurers)"),
        PersonalData: true,
        Tables:
        [
            new("theft_cases", "closed_at") { AccountRows = "owner_account_id = @accountId" },
            new("theft_tracking") { AccountRows = OwnersCases },
            new("theft_contact_attempts") { AccountRows = OwnersCases },
            new("theft_case_audit") { AccountRows = OwnersCases },
        ],
        Processors:
        [
            new("Security operation centre", "tracks the car, calls the owner and hands the case to the police", false,
                DataElement.Vin, DataElement.VehicleDescription, DataElement.Position, DataElement.Time, DataElement.VehicleSignals,
                DataElement.PhoneNumber, DataElement.SecurityQuestion, DataElement.Text),
            new("Responsible authority (police)", "receives the circumstances and positions of a confirmed theft", false,
                DataElement.Vin, DataElement.VehicleDescription, DataElement.Position, DataElement.Time, DataElement.VehicleSignals, DataElement.Text),
        ]);

    internal static DataCategory Settings { get; } = new(
        Id: "theft_settings",
        Name: "Car Security trigger switches",
        Purpose: "Let the owner switch single theft trigger reasons off for a time (E1), and the security centre set the tracking interval; sent to the car.",
        LegalBasis: LegalBasis.Contract,
        Retention: new(RetentionKind.UntilAccountDeletion, null, "until the car changes hands (unpairing, account deletion)"),
        PersonalData: true,
        Tables: [new("theft_settings") { AccountRows = CategoryTable.RowsOfTheAccountsCars }],
        Processors: []);

    internal static DataCategory Uncovered { get; } = new(
        Id: "uncovered_thefts",
        Name: "Thefts without Car Security",
        Purpose: "Hold to B4: Car Security cannot be bought for a theft that began without it. Only when the theft began and ended, why, " +
                 "and whether the car or the owner noticed it; no position and no tracking.",
        LegalBasis: LegalBasis.LegitimateInterest,
        Retention: new(RetentionKind.Period, TimeSpan.FromDays(365), "12 months after the theft ended (kept while it lasts)"),
        PersonalData: true,
        Tables: [new("uncovered_thefts", "ended_at") { AccountRows = CategoryTable.RowsOfTheAccountsCarsSince("uncovered_thefts", "started_at") }],
        Processors: []);

    internal static DataCategory HealthChecks { get; } = new(
        Id: "theft_health_checks",
        Name: "Car Security health checks",
        Purpose: "Notice cars whose tracking unit stopped working (E4): when each car last checked in, and when a missed check was flagged.",
        LegalBasis: LegalBasis.Contract,
        Retention: Retention.OverwriteOnChange,
        PersonalData: true,
        Tables: [new("theft_health_checks") { AccountRows = CategoryTable.RowsOfTheAccountsCars }],
        Processors: []);
}
