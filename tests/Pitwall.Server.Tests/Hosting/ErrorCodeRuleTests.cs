using System.Reflection;
using System.Text.RegularExpressions;
using Pitwall.Server.Hosting;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>
/// Problem codes are stable, machine-read and declared where they belong: the platform-wide ones in Hosting
/// (<see cref="ErrorCodes"/>), each feature's in its own <c>&lt;Feature&gt;ErrorCodes</c>. Two features must not claim the
/// same code for different things, and a client reading the API guide must find every code there.
/// </summary>
public sealed partial class ErrorCodeRuleTests
{
    private static readonly IReadOnlyList<(string Class, string Name, string Code)> Codes =
    [
        .. typeof(ErrorCodes).Assembly.GetTypes()
            .Where(t => t is { IsAbstract: true, IsSealed: true } && t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f is { IsLiteral: true } && f.FieldType == typeof(string))
                .Select(f => (t.Name, f.Name, (string)f.GetRawConstantValue()!))),
    ];

    [Fact]
    public void The_features_declare_their_own_codes_beside_the_platform_wide_ones()
    {
        var classes = Codes.Select(c => c.Class).Distinct().ToList();
        Assert.Contains(nameof(ErrorCodes), classes);
        Assert.Contains("ContractErrorCodes", classes);
        Assert.Contains("CarSecurityErrorCodes", classes);
        Assert.True(Codes.Count > 50, $"only {Codes.Count} codes found");
    }

    [Fact]
    public void Every_code_is_snake_case()
    {
        var offenders = Codes.Where(c => !SnakeCase().IsMatch(c.Code)).Select(c => $"{c.Class}.{c.Name} = \"{c.Code}\"").ToList();
        Assert.True(offenders.Count == 0, $"Codes not in snake_case: {string.Join(", ", offenders)}");
    }

    [Fact]
    public void No_code_is_declared_twice()
    {
        var twice = Codes.GroupBy(c => c.Code, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"\"{g.Key}\" in {string.Join(" and ", g.Select(c => $"{c.Class}.{c.Name}"))}").ToList();
        Assert.True(twice.Count == 0, $"Codes declared twice (use the one declaration): {string.Join("; ", twice)}");
    }

    [Fact]
    public void The_api_guide_lists_every_code()
    {
        var guide = File.ReadAllText(Path.Combine(PortalBrowser.RepositoryRoot(), "docs", "api-guide.md"));
        var missing = Codes.Where(c => !guide.Contains($"| `{c.Code}` |", StringComparison.Ordinal)).Select(c => $"{c.Class}.{c.Name}").ToList();
        Assert.True(missing.Count == 0, $"Codes missing from the table in docs/api-guide.md: {string.Join(", ", missing)}");
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
