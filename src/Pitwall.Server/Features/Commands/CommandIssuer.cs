using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Commands;

/// <summary>
/// Accepts a remote command for one of the caller's cars — the one path for the API and the portal, behind the vehicle-service
/// gate (<see cref="UseOf"/> says which service and kind of use a command is): validation and, for unlocking, the PIN proof;
/// then stores it and hands it to the car.
/// </summary>
public sealed class CommandIssuer(RemotePins pins, CommandDispatcher dispatcher, TimeProvider time)
{
    /// <summary>The service a command of this type uses, and how (a remote command, some for the primary user only); no service
    /// for an unknown type, which validation refuses.</summary>
    public static (string? Service, ServiceUse Use) UseOf(string? type) =>
        type is not null && CommandCatalog.Types.TryGetValue(type, out var known)
            ? (known.Service, ServiceUse.RemoteControl(known.PrimaryOnly))
            : (null, ServiceUse.RemoteControl(false));

    /// <returns>The command (new, or the earlier one with the same idempotency key), or why not.</returns>
    public async Task<(CommandRecord? Command, Refusal? Refusal)> IssueAsync(
        string accountId, string vin, CreateCommandRequest request, string? idempotencyKey, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
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
            return (null, Refusal.Invalid(errors));
        }
        if (type!.Name == "unlock" && await PinRefusalAsync(accountId, request, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        var now = time.GetUtcNow();
        var parameters = given.ToDictionary(p => p.Key, p => p.Value!);
        var (command, _) = await dispatcher.AcceptAsync(new CommandRecord(
            Guid.CreateVersion7(now).ToString(), vin, accountId, type.Name, parameters, CommandStates.Accepted, null, now, null, null,
            now.AddSeconds(expiresIn)), idempotencyKey, CancellationToken.None); // once stored, finish the hand-over even if the caller goes away
        return (command, null);
    }

    private async Task<Refusal?> PinRefusalAsync(string accountId, CreateCommandRequest request, CancellationToken cancellationToken)
    {
        var verdict = request.Challenge is null || request.PinProof is null
            ? RemotePins.Verdict.BadChallenge
            : await pins.VerifyAsync(accountId, request.Challenge, request.PinProof, cancellationToken);
        return verdict switch
        {
            RemotePins.Verdict.NoPin => new(StatusCodes.Status409Conflict, CommandErrorCodes.PinNotSet, "Set a remote PIN first (PUT /api/v1/me/remote-pin)."),
            RemotePins.Verdict.Locked => new(StatusCodes.Status423Locked, CommandErrorCodes.PinLocked, "Too many wrong PINs; unlocking is locked for a while."),
            RemotePins.Verdict.BadChallenge => new(StatusCodes.Status400BadRequest, CommandErrorCodes.PinChallengeInvalid, "Unlocking needs a fresh challenge and a PIN proof."),
            RemotePins.Verdict.Wrong => new(StatusCodes.Status403Forbidden, CommandErrorCodes.WrongPin, "The PIN is wrong."),
            _ => null,
        };
    }
}
