using System.Security.Cryptography;

namespace Pitwall.Server.Features.Charging;

/// <summary>
/// Contract ids in the eMA-ID layout of ISO 15118 / DIN SPEC 91286: country code, provider (the eMSP's party id), <c>C</c> and
/// eight random letters or digits, and a check character — e.g. <c>DE-PWL-C7K2M9Q4X-5</c>. Random, so nothing about the account
/// can be read from it. The check character is ISO 7064 MOD 37,36 over the 14 characters without separators (it catches every
/// single wrong character and every swap of neighbours); the eMI³ matrix check digit some roaming platforms use is not
/// computed.
/// </summary>
internal static class ContractIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    public static string New(string countryCode, string partyId)
    {
        Span<char> instance = stackalloc char[8];
        for (var i = 0; i < instance.Length; i++)
        {
            instance[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        var body = $"{countryCode}{partyId}C{instance}";
        return $"{countryCode}-{partyId}-C{instance}-{CheckCharacter(body)}";
    }

    public static bool IsValid(string contractId)
    {
        var plain = contractId.Replace("-", "", StringComparison.Ordinal);
        return plain.Length == 15 && plain.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) && CheckCharacter(plain[..14]) == plain[14];
    }

    /// <summary>ISO 7064 MOD 37,36 (hybrid system) over letters and digits.</summary>
    public static char CheckCharacter(string text)
    {
        const int m = 36;
        var p = m;
        foreach (var c in text)
        {
            var s = (p + Alphabet.IndexOf(c, StringComparison.Ordinal)) % m;
            p = (s == 0 ? m : s) * 2 % (m + 1);
        }
        return Alphabet[(m + 1 - p) % m];
    }
}
