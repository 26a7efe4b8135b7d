using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Commands;

/// <summary>Setting or changing the remote PIN (C4), for the API (<c>PUT /api/v1/me/remote-pin</c>) and the portal's profile alike.</summary>
public sealed class RemotePinSetting(RemotePins pins, IAccountDirectory accounts, SignInService signIn)
{
    public static readonly Refusal InvalidPin = Refusal.Invalid("pin", "The PIN is 4 to 8 digits.");

    public static readonly Refusal PasswordNeeded =
        new(StatusCodes.Status400BadRequest, AccountErrorCodes.WrongPassword, "Changing the PIN needs the account's current password.");

    public Task<bool> IsSetAsync(string accountId, CancellationToken cancellationToken) => pins.IsSetAsync(accountId, cancellationToken);

    /// <returns>Null once the PIN is set; else why not.</returns>
    public async Task<Refusal?> SetAsync(string accountId, string? pin, string? currentPassword, CancellationToken cancellationToken)
    {
        if (!RemotePins.IsValidPin(pin))
        {
            return InvalidPin;
        }
        // A stolen token or session alone must not be enough to replace the PIN that guards unlocking.
        if (await pins.IsSetAsync(accountId, cancellationToken) &&
            (currentPassword is null || await accounts.FindAsync(accountId, cancellationToken) is not { } account ||
             !signIn.VerifyPassword(account, currentPassword)))
        {
            return PasswordNeeded;
        }
        await pins.SetAsync(accountId, pin!, cancellationToken);
        return null;
    }
}
