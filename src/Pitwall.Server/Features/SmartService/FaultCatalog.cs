using nietras.SeparatedValues;

namespace Pitwall.Server.Features.SmartService;

/// <summary>A fault code's meaning: its description (SAE J2012 wording) and what the owner should do.</summary>
/// <param name="Recommendation">An English text key (translated in the portal), e.g. "Have the ignition system checked soon."</param>
/// <param name="Severity">How urgent: <c>high</c> (stop safely or drive to a workshop now), <c>medium</c> (book soon), <c>low</c>.</param>
internal sealed record FaultMeaning(string Code, string System, string Description, string Recommendation, string Severity);

/// <summary>
/// The descriptions of the 9,415 generic OBD-II codes (embedded <c>FaultCodes/dtc_codes.csv</c>, MIT) and a recommendation
/// per SAE J2012 code group. Loaded once, on first use.
/// </summary>
internal sealed class FaultCatalog : IFaultCodes
{
    private readonly Lazy<Dictionary<string, (string System, string Description)>> _codes = new(Load);

    public int Count => _codes.Value.Count;

    public (string System, string Description)? Find(string code) => _codes.Value.TryGetValue(code, out var entry) ? entry : null;

    /// <summary>The code's meaning; a code the list does not know still gets its group's recommendation.</summary>
    public FaultMeaning Describe(string code)
    {
        var known = _codes.Value.TryGetValue(code, out var entry);
        var (recommendation, severity) = Advice(code);
        return new FaultMeaning(code, known ? entry.System : SystemOf(code), known ? entry.Description : "Manufacturer-specific or unknown fault code",
            recommendation, severity);
    }

    /// <summary>What to do, by code group (SAE J2012: the letter, then the first digits name the system).</summary>
    private static (string Text, string Severity) Advice(string code) => code switch
    {
        ['P', '0', '3', ..] => ("Misfire or ignition fault: avoid high engine load and have the ignition system checked soon.", "high"),
        ['P', '0', '2', '1', '7'] or ['P', '0', '2', '1', '8'] => ("Engine overheating: stop safely, let the engine cool down and call assistance.", "high"),
        ['P', '0', 'A', ..] or ['P', '0', 'B', ..] or ['P', '0', 'C', ..] or ['P', '0', 'D', ..] =>
            ("High-voltage system fault: have the car checked by a workshop soon; do not open the high-voltage system.", "high"),
        ['P', '0', '4', ..] => ("Emission control fault: the car is safe to drive; have it checked at the next opportunity.", "low"),
        ['P', '0', '5', '6', ..] => ("Electrical system voltage fault: have the 12 V battery and charging system checked.", "medium"),
        ['P', ..] => ("Powertrain fault: have the car checked by a workshop soon.", "medium"),
        ['C', ..] => ("Chassis fault (brakes, steering or suspension): drive carefully and have the car checked soon.", "high"),
        ['B', ..] => ("Body system fault: have it checked at the next service.", "low"),
        ['U', ..] => ("Control unit communication fault: have the car's electronics checked soon.", "medium"),
        _ => ("Have the car checked by a workshop.", "medium"),
    };

    private static string SystemOf(string code) => code.Length == 0 ? "Unknown" : code[0] switch
    {
        'P' => "Powertrain",
        'C' => "Chassis",
        'B' => "Body",
        'U' => "Network",
        _ => "Unknown",
    };

    private static Dictionary<string, (string, string)> Load()
    {
        using var stream = typeof(FaultCatalog).Assembly.GetManifestResourceStream("smart-service/dtc_codes.csv")
            ?? throw new InvalidOperationException("The fault code list is not embedded.");
        using var text = new StreamReader(stream);
        using var reader = Sep.Reader(o => o with { HasHeader = true, Unescape = true }).From(text);
        var codes = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var row in reader)
        {
            codes[row["code"].ToString()] = (row["system"].ToString(), row["description"].ToString());
        }
        return codes;
    }
}
