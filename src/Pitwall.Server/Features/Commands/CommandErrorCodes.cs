namespace Pitwall.Server.Features.Commands;

/// <summary>The stable problem codes of remote commands and the remote PIN (clients switch on these; never rename one).</summary>
internal static class CommandErrorCodes
{
    public const string PinNotSet = "pin_not_set";
    public const string PinLocked = "pin_locked";
    public const string PinChallengeInvalid = "pin_challenge_invalid";
    public const string WrongPin = "wrong_pin";
}
