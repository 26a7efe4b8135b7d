using OtpNet;

namespace Pitwall.Server.Features.Accounts.SecondFactor;

/// <summary>
/// Time-based one-time codes (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps, as every authenticator app makes them) on
/// Otp.NET, with the time from <see cref="TimeProvider"/>. A code of the step before or after the current one is accepted
/// (clocks drift, people type slowly: RFC 6238 §5.2), and only for a step later than the last one accepted, so the same code
/// (or an older one) never works twice.
/// </summary>
internal static class TotpCodes
{
    public const int Digits = 6;
    public static readonly TimeSpan Step = TimeSpan.FromSeconds(30);

    /// <summary>A new random secret (160 bits, RFC 4226 §4's recommendation) as Base32, the form apps are given.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>The current time step: seconds since the Unix epoch over 30.</summary>
    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / (long)Step.TotalSeconds;

    public static string CodeAt(string secret, DateTimeOffset at) => Totp(secret).ComputeTotp(at.UtcDateTime);

    /// <summary>The time step <paramref name="code"/> was made for, if it is right now (± one step) and later than
    /// <paramref name="lastStep"/>; null otherwise.</summary>
    public static long? Match(string secret, string? code, DateTimeOffset now, long lastStep)
    {
        var digits = Normalize(code);
        if (digits is null)
        {
            return null;
        }
        var current = StepAt(now);
        // Otp.NET's VerifyTotp says which step matched; the window is checked here so that the replay rule sees it.
        var totp = Totp(secret);
        foreach (var step in new[] { current, current - 1, current + 1 })
        {
            var at = DateTimeOffset.FromUnixTimeSeconds(step * (long)Step.TotalSeconds);
            if (step > lastStep && totp.VerifyTotp(at.UtcDateTime, digits, out _, ExactStep))
            {
                return step;
            }
        }
        return null;
    }

    /// <summary>True when the code is right (± one step) but its step was already used: a replay.</summary>
    public static bool IsReplay(string secret, string? code, DateTimeOffset now, long lastStep) =>
        Match(secret, code, now, lastStep) is null && Match(secret, code, now, long.MinValue) is not null;

    /// <summary>The six digits of what someone typed ("123 456" → "123456"); null when it is not six digits.</summary>
    public static string? Normalize(string? code)
    {
        var digits = string.Concat((code ?? "").Where(c => c is not (' ' or '-')));
        return digits.Length == Digits && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>The otpauth URI authenticator apps read from the QR code (Google Authenticator's Key Uri Format).</summary>
    public static string Uri(string issuer, string accountName, string secret) =>
        $"otpauth://totp/{System.Uri.EscapeDataString(issuer)}:{System.Uri.EscapeDataString(accountName)}" +
        $"?secret={secret}&issuer={System.Uri.EscapeDataString(issuer)}&algorithm=SHA1&digits={Digits}&period={(int)Step.TotalSeconds}";

    private static readonly VerificationWindow ExactStep = new(0, 0);

    private static Totp Totp(string secret) => new(Base32Encoding.ToBytes(secret), (int)Step.TotalSeconds, OtpHashMode.Sha1, Digits);
}
