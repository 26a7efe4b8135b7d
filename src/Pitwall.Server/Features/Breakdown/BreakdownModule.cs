using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Breakdown.Diagnosis;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Gateway.Validation;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Breakdown;

/// <summary>
/// Connect Care II (REQUIREMENTS F2, P1's exception, P5): the breakdown call from the car or the app with the car's snapshot, the
/// diagnosis from a versioned rule catalogue, live diagnosis during the call, the assistance centre's live queue and workflow, the
/// emergency call that passes private mode, the driver's consent per call (assistance centre, position, dealer), kept 7 days.
/// </summary>
public static class BreakdownModule
{
    public static WebApplicationBuilder AddBreakdown(this WebApplicationBuilder builder)
    {
        builder.Services.AddProvidedServices("Breakdown", ServiceIds.BreakdownCall, ServiceIds.EmergencyCall);
        builder.Services.AddPortalTexts<BreakdownText>();
        builder.Services.AddVehicleTab(new("/breakdown", "Breakdown call", 78, ServiceIds.BreakdownCall));
        builder.Services.AddNotificationTypes(BreakdownNotifications.Order, BreakdownNotifications.All);
        builder.Services.AddNotificationTemplates(BreakdownNotifications.Templates);
        builder.Services.AddSingleton<ICarMessageCheck, BreakdownCallCheck>();
        builder.Services.AddSingleton<ICarMessageCheck, LiveDiagnosisCheck>();
        builder.Services.AddSingleton<ICarMessageCheck, EmergencyCallCheck>();
        builder.Services.AddSingleton<IVehicleMessageHandler, BreakdownCallHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler, LiveDiagnosisHandler>();
        builder.Services.AddSingleton<IVehicleMessageHandler, EmergencyCallHandler>();
        builder.Services.AddSingleton<RuleCatalogue>();
        builder.Services.AddSingleton<DiagnosisEngine>();
        builder.Services.AddSingleton<AssistanceCaseStore>();
        builder.Services.AddSingleton<AssistanceFeed>();
        builder.Services.AddSingleton<BreakdownConsents>();
        builder.Services.AddSingleton<DealerChoice>();
        builder.Services.AddSingleton<AssistanceWorkflow>();
        builder.Services.AddSingleton<OwnerBreakdown>();
        builder.Services.AddSingleton<IBreakdownCalls>(sp => sp.GetRequiredService<OwnerBreakdown>());
        builder.Services.AddSingleton<IAssistanceConsole, AssistanceConsole>();
        builder.Services.AddSingleton<IAccountErasureListener, BreakdownErasure>();
        builder.Services.AddDataCategory(BreakdownDataCategories.Breakdowns);
        builder.Services.AddDataCategory(BreakdownDataCategories.Emergencies);
        return builder;
    }

    public static WebApplication MapBreakdown(this WebApplication app)
    {
        app.MapBreakdownEndpoints();
        return app;
    }
}

/// <summary>An erased account's breakdown calls go; its emergency calls stay for their period without the link to it.</summary>
internal sealed class BreakdownErasure : IAccountErasureListener
{
    public Task OnErasingAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string accountId) =>
        AssistanceCaseStore.EraseAccountAsync(connection, transaction, accountId);
}
