using Pitwall.Server.Features.Breakdown.Diagnosis;
using Pitwall.Server.Features.SmartService;

namespace Pitwall.Server.Tests.Features.Breakdown;

/// <summary>The breakdown diagnosis (F2): one case per rule of the catalogue, the combination of findings, and the honest
/// "unknown" for a code neither the code list nor the rules know.</summary>
public sealed class DiagnosisRulesTests
{
    private static readonly RuleCatalogue Catalogue = new();
    private static readonly DiagnosisEngine Engine = new(new FaultCatalog(), Catalogue);

    /// <summary>Per rule: a car that should trigger it (fault codes, live values) and what the rule says.</summary>
    public static readonly TheoryData<string, string[], string?, double, string, string> Cases = new()
    {
        { "hv_isolation_fault", ["P0AA6"], null, 0, "do_not_drive", "tow" },
        { "hv_battery_overheating", [], "battery_temperature", 72, "do_not_drive", "tow" },
        { "hv_battery_low", ["P0AFA"], null, 0, "do_not_drive", "tow" },
        { "flat_12v_battery", [], "battery_voltage", 10.4, "do_not_drive", "roadside_help" },
        { "engine_overheating", ["P0217"], null, 0, "do_not_drive", "roadside_help" },
        { "oil_pressure_low", [], "oil_pressure", 20, "do_not_drive", "tow" },
        { "tyre_pressure_loss", [], "tyre_pressure_front_right", 60, "do_not_drive", "roadside_help" },
        { "engine_does_not_run", ["P0335"], null, 0, "do_not_drive", "tow" },
        { "misfire", ["P0304"], null, 0, "workshop", "self_help" },
        { "brake_system_fault", ["C0035"], null, 0, "workshop", "self_help" },
        { "emissions", ["P0420"], null, 0, "continue", "self_help" },
        { "hv_system_other", ["P0A1F"], null, 0, "workshop", "self_help" },
        { "powertrain_other", ["P0001"], null, 0, "workshop", "self_help" },
        { "chassis_other", ["C0083"], null, 0, "workshop", "self_help" },
        { "network_other", ["U0100"], null, 0, "workshop", "self_help" },
        { "body_other", ["B0001"], null, 0, "continue", "self_help" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_rule_gives_its_severity_and_recommendation(string rule, string[] codes, string? value, double reading, string severity, string recommendation)
    {
        var values = value is null ? new Dictionary<string, double>() : new Dictionary<string, double> { [value] = reading };
        var result = Engine.Diagnose(new DiagnosisInput(codes, values));
        var finding = Assert.Single(result.Findings);
        Assert.Equal(rule, finding.Rule);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(recommendation, finding.Recommendation);
        Assert.False(string.IsNullOrWhiteSpace(finding.Explanation));
        Assert.False(string.IsNullOrWhiteSpace(finding.Advice));
        Assert.Equal((severity, recommendation), (result.Severity, result.Recommendation));
        Assert.Equal(Catalogue.Version, result.RulesVersion);
        if (codes.Length > 0)
        {
            Assert.Equal(codes[0], finding.Code);
            Assert.NotNull(finding.Description); // the SAE J2012 wording from the code list
        }
    }

    [Fact]
    public void Every_rule_of_the_catalogue_has_its_case_and_the_catalogue_is_versioned()
    {
        var tested = Cases.Select(c => (string)c[0]).ToHashSet(StringComparer.Ordinal);
        Assert.All(Catalogue.Rules, r => Assert.Contains(r.Id, tested));
        Assert.Matches(@"^\d{4}-\d{2}-\d+$", Catalogue.Version);
        Assert.All(Catalogue.Rules, r => Assert.Contains(r.Severity, new[] { "continue", "workshop", "do_not_drive" }));
        Assert.All(Catalogue.Rules, r => Assert.Contains(r.Recommendation, new[] { "self_help", "roadside_help", "tow" }));
    }

    [Fact]
    public void A_code_nobody_knows_reads_as_unknown_with_the_raw_code()
    {
        var result = Engine.Diagnose(new DiagnosisInput(["P1ABC", "X99"], new Dictionary<string, double>()));
        Assert.Equal("unknown", result.Severity);
        Assert.Equal("unknown", result.Recommendation);
        Assert.Equal(["P1ABC", "X99"], result.Findings.Select(f => f.Code).Order());
        Assert.All(result.Findings, f => Assert.Equal("unknown", f.Rule));
        Assert.All(result.Findings, f => Assert.Contains(f.Code!, f.Explanation, StringComparison.Ordinal));
    }

    [Fact]
    public void The_worst_finding_decides_and_a_value_within_limits_finds_nothing()
    {
        var result = Engine.Diagnose(new DiagnosisInput(["P0420", "P0AA6", "P1ABC"], new Dictionary<string, double> { ["battery_voltage"] = 12.6 }));
        Assert.Equal(("do_not_drive", "tow"), (result.Severity, result.Recommendation));
        Assert.Equal("hv_isolation_fault", result.Findings[0].Rule);
        Assert.Equal(3, result.Findings.Count);
        var healthy = Engine.Diagnose(new DiagnosisInput([], new Dictionary<string, double> { ["battery_voltage"] = 12.6, ["coolant_temperature"] = 90 }));
        Assert.Empty(healthy.Findings);
        Assert.Equal(("continue", "self_help"), (healthy.Severity, healthy.Recommendation));
    }

    [Fact]
    public void A_code_and_its_value_name_the_rule_once()
    {
        var result = Engine.Diagnose(new DiagnosisInput(["P0562"], new Dictionary<string, double> { ["battery_voltage"] = 10.1 }));
        Assert.Equal("flat_12v_battery", Assert.Single(result.Findings).Rule);
    }
}
