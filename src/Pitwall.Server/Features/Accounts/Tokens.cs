using System.Buffers.Text;
using System.Security.Cryptography;

namespace Pitwall.Server.Features.Accounts;

/// <summary>Opaque random tokens; the database keeps only their SHA-256.</summary>
public static class Tokens
{
    public const string AccessPrefix = "pwa_";
    public const string RefreshPrefix = "pwr_";

    public static string NewAccessToken() => AccessPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string NewRefreshToken() => RefreshPrefix + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Hosting.Hashing.Sha256Hex(token);
}
