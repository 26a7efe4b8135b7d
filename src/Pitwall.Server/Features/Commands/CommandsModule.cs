using Pitwall.Protocol;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Commands;

/// <summary>Remote commands (REQUIREMENTS C4, C5): lifecycle, one at a time per car, idempotency, expiry, the remote PIN.</summary>
public static class CommandsModule
{
    public static WebApplicationBuilder AddCommands(this WebApplicationBuilder builder)
    {
        builder.Services.AddPortalTexts<CommandsText>();
        builder.Services.AddProvidedServices("Commands", ServiceIds.RemoteLock, ServiceIds.RemoteHornAndLights);
        builder.Services.AddSingleton<CommandStore>();
        builder.Services.AddSingleton<RemotePins>();
        builder.Services.AddSingleton<RemotePinSetting>();
        builder.Services.AddSingleton<CommandDispatcher>();
        builder.Services.AddSingleton<CommandIssuer>();
        builder.Services.AddSingleton<IVehicleMessageHandler>(sp => sp.GetRequiredService<CommandDispatcher>());
        builder.Services.AddSingleton<Vehicles.IVehicleAccessListener>(sp => sp.GetRequiredService<CommandDispatcher>());
        builder.Services.AddSingleton<CommandJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CommandJob>());
        builder.Services.AddDataCategory(new DataCategory(
            "remote_commands", "Remote commands",
            "Carry out and show remote commands (lock, unlock, horn and lights, climate, charging): who asked, what, when, the car's outcome.",
            LegalBasis.Contract, Retention.Days(90), true, [new("vehicle_commands", "created_at") { AccountRows = "account_id = @accountId" }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "remote_pin", "Remote PIN",
            "Protect unlocking: a salted hash of the owner's PIN, failed attempts and lock-out; one-time challenges.",
            LegalBasis.Contract, Retention.UntilAccountDeletion, true, [new("remote_pins") { AccountRows = "account_id = @accountId", SecretColumns = ["salt", "verifier"] }], []));
        builder.Services.AddDataCategory(new DataCategory(
            "pin_challenges", "PIN challenges",
            "One-time challenges for proving the PIN without sending it.",
            LegalBasis.Contract, Retention.DurationOfRequest("until the challenge expires (one minute)"), false, [new("pin_challenges", "expires_at")], []));
        return builder;
    }

    public static WebApplication MapCommands(this WebApplication app)
    {
        app.MapCommandEndpoints();
        return app;
    }
}
