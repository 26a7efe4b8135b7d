using System.Security.Cryptography;
using System.Text;

namespace Pitwall.Server.Hosting;

/// <summary>The one way Pitwall stores secrets it only needs to recognise (tokens, keys, codes, nonces): SHA-256 hex.</summary>
public static class Hashing
{
    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
