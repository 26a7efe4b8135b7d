using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>The target a DDI request passed <see cref="DdiAccess"/> for (one per request).</summary>
internal sealed class DdiCaller
{
    public UpdateTarget Target { get; set; } = null!;
}

/// <summary>
/// The door of the DDI API, in this order: the tenant (404), the controller's credentials — <c>Authorization: TargetToken</c>
/// (the target's own token) or <c>GatewayToken</c> (the tenant's, which may act for any controller and registers an unknown one
/// on its first poll) — (401), then, for a target that is a registered car, the same rules as the vehicle-service gate: the
/// car has an account (403), its packages include software updates, i.e. Connect Care (403), and its privacy switches let
/// the service run (409: private mode, the service or the group "services without location" switched off).
/// </summary>
internal sealed class DdiAccess(
    IOptions<SoftwareUpdateOptions> options, TargetStore targets, IVehicleDirectory vehicles, IEntitlements entitlements, IServiceAccess switches,
    TimeProvider time)
{
    private static readonly Refusal Unauthorized = new(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized,
        "Send Authorization: TargetToken <the target's token> or GatewayToken <the tenant's token>.");

    private static readonly Refusal NoAccount = new(StatusCodes.Status403Forbidden, SoftwareUpdateErrorCodes.CarWithoutAccount,
        "Software updates need an account: the car has no primary user.");

    public async Task<(UpdateTarget? Target, Refusal? Refusal)> EnterAsync(
        string tenant, string controllerId, string? authorization, CancellationToken cancellationToken)
    {
        if (!string.Equals(tenant, options.Value.Tenant, StringComparison.OrdinalIgnoreCase))
        {
            return (null, Refusal.NotFound("No such tenant."));
        }
        var (scheme, token) = Split(authorization);
        var found = await targets.FindForDoorAsync(controllerId, cancellationToken);
        UpdateTarget? target;
        if (scheme == "TargetToken" && found is { TokenHash: { } hash } && Same(Hashing.Sha256Hex(token), hash))
        {
            target = found.Value.Target;
        }
        else if (scheme == "GatewayToken" && options.Value.GatewayToken.Length > 0 && Same(token, options.Value.GatewayToken)
            && SoftwareAdministration.ControllerId().IsMatch(controllerId))
        {
            target = found?.Target ?? await RegisterAsync(controllerId, cancellationToken);
        }
        else
        {
            return (null, Unauthorized);
        }
        return target.Vin is { } vin && await CarRefusalAsync(vin, cancellationToken) is { } refusal ? (null, refusal) : (target, null);
    }

    /// <summary>The vehicle-service gate's rules for a car's own request (there is no user: access and role do not apply).</summary>
    private async Task<Refusal?> CarRefusalAsync(string vin, CancellationToken cancellationToken)
    {
        if (await vehicles.PrimaryUserAsync(vin, cancellationToken) is null)
        {
            return NoAccount;
        }
        if (!await entitlements.IsEntitledAsync(vin, ServiceIds.SoftwareUpdate, cancellationToken))
        {
            return Refusal.NotEntitled(ServiceIds.SoftwareUpdate);
        }
        var verdict = await switches.ForServiceAsync(vin, ServiceIds.SoftwareUpdate, cancellationToken);
        return verdict.Allowed ? null : Refusal.Conflict(verdict.Code!, verdict.Detail!);
    }

    /// <summary>A controller first seen with the gateway token: a car when its id is a registered VIN.</summary>
    private async Task<UpdateTarget> RegisterAsync(string controllerId, CancellationToken cancellationToken)
    {
        var vin = Vin.IsValid(controllerId) && await vehicles.FindAsync(Vin.Normalize(controllerId), cancellationToken) is { } car ? car.Vin : null;
        await targets.TryInsertAsync(new UpdateTarget(controllerId, vin, null, new Dictionary<string, string>(), true, null, null, null, time.GetUtcNow()), null,
            cancellationToken);
        return (await targets.FindAsync(controllerId, cancellationToken))!.Value.Target;
    }

    private static (string Scheme, string Token) Split(string? authorization)
    {
        var parts = (authorization ?? "").Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return parts.Length == 2 ? (parts[0], parts[1]) : ("", "");
    }

    private static bool Same(string a, string b) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
