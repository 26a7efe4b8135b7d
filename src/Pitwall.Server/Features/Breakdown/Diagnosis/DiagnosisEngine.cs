using System.Text.Json;
using System.Text.RegularExpressions;
using Pitwall.Server.Features.SmartService;

namespace Pitwall.Server.Features.Breakdown.Diagnosis;

/// <summary>A fault code or live value the engine looked at, as the car reported it.</summary>
internal sealed record DiagnosisInput(IReadOnlyList<string> FaultCodes, IReadOnlyDictionary<string, double> LiveValues);

/// <summary>One thing the diagnosis found.</summary>
/// <param name="Code">The fault code it is about (raw, as the car sent it), or null for a finding from a live value alone.</param>
/// <param name="Description">The code's SAE J2012 description, or null when the code list does not know it.</param>
/// <param name="Rule">The rule that matched, or <c>unknown</c>.</param>
/// <param name="Severity">continue, workshop, do_not_drive; <c>unknown</c> for a code nobody knows.</param>
/// <param name="Recommendation">self_help, roadside_help, tow; <c>unknown</c> for a code nobody knows.</param>
public sealed record DiagnosisFinding(
    string? Code, string? Description, string Rule, string Explanation, string Severity, string Recommendation, string Advice);

/// <summary>The diagnosis: the worst severity and strongest recommendation of its findings, and the rule catalogue's version.</summary>
public sealed record DiagnosisResult(string RulesVersion, string Severity, string Recommendation, IReadOnlyList<DiagnosisFinding> Findings);

/// <summary>
/// The breakdown diagnosis (F2): fault codes plus live values → explanation, severity (continue / workshop / do not drive) and
/// recommendation (self-help / roadside help / tow), from the rule catalogue kept as data (<c>breakdown-rules.json</c>, versioned)
/// and the descriptions of the generic OBD-II code list. A code neither list knows gets an honest "unknown" with the raw code.
/// </summary>
internal sealed partial class DiagnosisEngine(IFaultCodes codes, RuleCatalogue catalogue)
{
    public const string Unknown = "unknown";

    private static readonly string[] Severities = ["continue", "workshop", "do_not_drive"];
    private static readonly string[] Recommendations = ["self_help", "roadside_help", "tow"];

    public DiagnosisResult Diagnose(DiagnosisInput input)
    {
        var findings = new List<DiagnosisFinding>();
        var matchedRules = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in input.FaultCodes.Distinct(StringComparer.Ordinal))
        {
            var code = raw.Trim().ToUpperInvariant();
            var described = CodeShape().IsMatch(code) ? codes.Find(code) : null;
            var rule = catalogue.Rules.FirstOrDefault(r => !r.Fallback && r.MatchesCode(code))
                ?? (described is null ? null : catalogue.Rules.FirstOrDefault(r => r.Fallback && r.MatchesCode(code)));
            if (rule is null)
            {
                findings.Add(new(raw, described?.Description, Unknown,
                    described is null ? $"Unknown fault code {raw}: neither the generic code list nor the rules know it (a manufacturer-specific code)."
                        : $"{described.Value.Description} ({raw}): no rule covers it.",
                    Unknown, Unknown, "Follow the car's own warning messages; the workshop can read the code."));
                continue;
            }
            matchedRules.Add(rule.Id);
            findings.Add(new(raw, described?.Description, rule.Id, rule.Explanation, rule.Severity, rule.Recommendation, rule.Advice));
        }
        foreach (var rule in catalogue.Rules.Where(r => r.Value is not null && !matchedRules.Contains(r.Id)))
        {
            if (input.LiveValues.FirstOrDefault(v => rule.Value!.Matches(v.Key, v.Value)) is { Key: not null } hit)
            {
                matchedRules.Add(rule.Id);
                findings.Add(new(null, null, rule.Id, $"{rule.Explanation} ({hit.Key} = {hit.Value.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture)})",
                    rule.Severity, rule.Recommendation, rule.Advice));
            }
        }
        var known = findings.Where(f => f.Severity != Unknown).ToList();
        return new DiagnosisResult(catalogue.Version,
            known.Count > 0 ? Severities[known.Max(f => Array.IndexOf(Severities, f.Severity))] : findings.Count > 0 ? Unknown : "continue",
            known.Count > 0 ? Recommendations[known.Max(f => Array.IndexOf(Recommendations, f.Recommendation))] : findings.Count > 0 ? Unknown : "self_help",
            [.. findings.OrderByDescending(f => Array.IndexOf(Severities, f.Severity))]);
    }

    [GeneratedRegex("^[PCBU][0-9A-F]{4}$")]
    private static partial Regex CodeShape();
}

/// <summary>The rule catalogue as shipped (<c>Diagnosis/breakdown-rules.json</c>, embedded), loaded once.</summary>
internal sealed class RuleCatalogue
{
    public RuleCatalogue()
        : this(Load())
    {
    }

    private RuleCatalogue(RuleFile file)
    {
        Version = file.Version;
        Rules = file.Rules;
    }

    public string Version { get; }

    public IReadOnlyList<DiagnosisRule> Rules { get; }

    private static RuleFile Load()
    {
        using var stream = typeof(RuleCatalogue).Assembly.GetManifestResourceStream("breakdown/breakdown-rules.json")
            ?? throw new InvalidOperationException("The breakdown rule catalogue is not embedded.");
        return JsonSerializer.Deserialize<RuleFile>(stream, JsonOptions) ?? throw new InvalidOperationException("The breakdown rule catalogue is empty.");
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed record RuleFile(string Version, IReadOnlyList<DiagnosisRule> Rules);
}

/// <summary>One rule of the catalogue.</summary>
internal sealed record DiagnosisRule(
    string Id, string Explanation, string Severity, string Recommendation, string Advice,
    IReadOnlyList<string>? Codes = null, IReadOnlyList<string>? Prefixes = null, ValueCondition? Value = null, bool Fallback = false)
{
    public bool MatchesCode(string code) =>
        Codes?.Contains(code, StringComparer.Ordinal) == true || Prefixes?.Any(p => code.StartsWith(p, StringComparison.Ordinal)) == true;
}

/// <summary>A live value beyond a limit: <see cref="Name"/> exactly, or every value whose name starts with <see cref="NamePrefix"/>.</summary>
internal sealed record ValueCondition(string? Name, string? NamePrefix, double? Below, double? Above)
{
    private bool Named(string name) => Name == name || (NamePrefix is { } prefix && name.StartsWith(prefix, StringComparison.Ordinal));

    public bool Matches(string name, double value) => Named(name) && ((Below is { } below && value < below) || (Above is { } above && value > above));
}
