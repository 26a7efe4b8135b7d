using Pitwall.Protocol;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Commands;

/// <summary>Why a command was not accepted: an HTTP status, a stable code and a sentence; or the fields that were wrong.</summary>
public sealed record CommandRefusal(int Status, string Code, string Title, ValidationErrors? Errors = null);

/// <summary>
/// Accepts a remote command for one of the caller's cars — the one path for the API and the portal: validation, role,
/// the car's privacy switches, entitlement and, for unlocking, the PIN proof; then stores it and hands it to the car.
/// </summary>
public sealed class CommandIssuer(
    IVehicleAccess access, IVehicleLink link, IEntitlements entitlements, RemotePins pins, CommandDispatcher dispatcher,
    UsageStatistics.UsageStatistics usage, TimeProvider time)
{
    public static readonly CommandRefusal VehicleNotFound = new(StatusCodes.Status404NotFound, ErrorCodes.VehicleNotFound, "No such vehicle among yours.");

    /// <returns>The command (new, or the earlier one with the same idempotency key), or why not.</returns>
    public async Task<(CommandRecord? Command, CommandRefusal? Refusal)> IssueAsync(
        string accountId, string vin, CreateCommandRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        var role = await access.RoleOfAsync(accountId, vin, cancellationToken);
        if (role is null)
        {
            return (null, VehicleNotFound);
        }
        var errors = new ValidationErrors();
        var type = request.Type is null ? null : CommandCatalog.Types.GetValueOrDefault(request.Type);
        if (type is null)
        {
            errors.Add("type", $"One of: {string.Join(", ", CommandCatalog.Types.Keys)}.");
        }
        var given = request.Parameters ?? [];
        if (type is not null)
        {
            CommandCatalog.ValidateParameters(type, given, errors);
        }
        var expiresIn = request.ExpiresInSeconds ?? 120;
        if (expiresIn is < 10 or > 3600)
        {
            errors.Add("expiresInSeconds", "Between 10 and 3600 seconds.");
        }
        if (idempotencyKey is { Length: 0 or > 100 })
        {
            errors.Add("Idempotency-Key", "At most 100 characters.");
        }
        if (errors.Any)
        {
            return (null, new CommandRefusal(StatusCodes.Status400BadRequest, ErrorCodes.ValidationFailed, "The request is not valid.", errors));
        }
        if (await RefuseAsync(accountId, vin, role.Value, type!, request, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        var now = time.GetUtcNow();
        var parameters = given.ToDictionary(p => p.Key, p => p.Value!);
        var (command, created) = await dispatcher.AcceptAsync(new CommandRecord(
            Guid.CreateVersion7(now).ToString(), vin, accountId, type!.Name, parameters, CommandStates.Accepted, null, now, null, null,
            now.AddSeconds(expiresIn)), idempotencyKey, CancellationToken.None); // once stored, finish the hand-over even if the caller goes away
        if (created)
        {
            usage.Record(type.Service, UsageStatistics.UsageChannel.App);
        }
        return (command, null);
    }

    private async Task<CommandRefusal?> RefuseAsync(
        string accountId, string vin, VehicleRole role, CommandCatalog.CommandType type, CreateCommandRequest request, CancellationToken cancellationToken)
    {
        if (type.PrimaryOnly && role == VehicleRole.Driver)
        {
            return new(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenForRole, "Drivers cannot change charging settings.");
        }
        var privacy = await link.PrivacyAsync(vin, cancellationToken);
        if (privacy?.PrivateMode == true)
        {
            return new(StatusCodes.Status409Conflict, ErrorCodes.PrivacyMode, "The car is in private mode: no remote functions.");
        }
        if (privacy?.RemoteAccessDisabled == true)
        {
            return new(StatusCodes.Status409Conflict, ErrorCodes.RemoteAccessDisabled, "Remote access is switched off in the car.");
        }
        if (privacy is not null && !ServiceIds.IsSwitchedOn(type.Service, privacy))
        {
            return new(StatusCodes.Status409Conflict, ErrorCodes.ServiceDisabled, $"The service {type.Service} is switched off in the car.");
        }
        if (!await entitlements.IsEntitledAsync(vin, type.Service, cancellationToken))
        {
            return new(StatusCodes.Status403Forbidden, ErrorCodes.NotEntitled, "The vehicle's contract does not cover this service.");
        }
        if (type.Name != "unlock")
        {
            return null;
        }
        var verdict = request.Challenge is null || request.PinProof is null
            ? RemotePins.Verdict.BadChallenge
            : await pins.VerifyAsync(accountId, request.Challenge, request.PinProof, cancellationToken);
        return verdict switch
        {
            RemotePins.Verdict.NoPin => new(StatusCodes.Status409Conflict, ErrorCodes.PinNotSet, "Set a remote PIN first (PUT /api/v1/me/remote-pin)."),
            RemotePins.Verdict.Locked => new(StatusCodes.Status423Locked, ErrorCodes.PinLocked, "Too many wrong PINs; unlocking is locked for a while."),
            RemotePins.Verdict.BadChallenge => new(StatusCodes.Status400BadRequest, ErrorCodes.PinChallengeInvalid, "Unlocking needs a fresh challenge and a PIN proof."),
            RemotePins.Verdict.Wrong => new(StatusCodes.Status403Forbidden, ErrorCodes.WrongPin, "The PIN is wrong."),
            _ => null,
        };
    }
}
