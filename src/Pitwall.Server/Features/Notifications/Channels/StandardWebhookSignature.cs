using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// Standard Webhooks signatures (standardwebhooks.com): <c>webhook-signature: v1,&lt;base64(HMAC-SHA256(key,
/// "{webhook-id}.{webhook-timestamp}.{body}"))&gt;</c>, where the key is the base64-decoded part of the secret after
/// <c>whsec_</c>. Receivers use the same rule with <see cref="Verify"/> or any other implementation of the standard.
/// </summary>
internal static class StandardWebhookSignature
{
    public const string SecretPrefix = "whsec_";

    /// <summary>How far a timestamp may be from the receiver's clock, either way, to be accepted (replay protection).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>A new signing secret: <c>whsec_</c> and the base64 of <paramref name="bytes"/> random bytes (24 to 64).</summary>
    public static string GenerateSecret(int bytes = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytes, 24);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, 64);
        return SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
    }

    /// <summary>The key of a secret; false when it is not <c>whsec_</c> (optional) followed by base64 of at least 16 bytes.</summary>
    public static bool TryDecodeSecret(string? secret, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(secret))
        {
            return false;
        }
        var encoded = secret.StartsWith(SecretPrefix, StringComparison.Ordinal) ? secret[SecretPrefix.Length..] : secret;
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64String(encoded, buffer, out var length) || length < 16)
        {
            return false;
        }
        key = buffer[..length];
        return true;
    }

    /// <summary>The <c>webhook-signature</c> header value for one message.</summary>
    /// <exception cref="ArgumentException">The secret is not a valid signing secret.</exception>
    public static string Sign(string secret, string id, long timestamp, string body)
    {
        if (!TryDecodeSecret(secret, out var key))
        {
            throw new ArgumentException("Not a webhook signing secret (whsec_ and base64).", nameof(secret));
        }
        return "v1," + Convert.ToBase64String(Mac(key, id, timestamp, body));
    }

    /// <summary>
    /// True when <paramref name="signatureHeader"/> holds a <c>v1</c> signature of this message made with the secret
    /// (it may list several, separated by spaces, while a secret is being rotated) and the timestamp is within
    /// <paramref name="tolerance"/> of <paramref name="now"/>. Compares in constant time.
    /// </summary>
    public static bool Verify(
        string secret, string id, string timestampHeader, string body, string signatureHeader, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (!TryDecodeSecret(secret, out var key) ||
            !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) ||
            Math.Abs(now.ToUnixTimeSeconds() - timestamp) > (tolerance ?? DefaultTolerance).TotalSeconds)
        {
            return false;
        }
        var expected = Mac(key, id, timestamp, body);
        var candidate = new byte[expected.Length];
        var valid = false;
        foreach (var signature in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (signature.StartsWith("v1,", StringComparison.Ordinal) &&
                Convert.TryFromBase64String(signature[3..], candidate, out var length) && length == expected.Length)
            {
                // Check every listed signature, so that timing tells nothing about which one matched.
                valid |= CryptographicOperations.FixedTimeEquals(candidate, expected);
            }
        }
        return valid;
    }

    private static byte[] Mac(byte[] key, string id, long timestamp, string body) =>
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.{body}"));
}
