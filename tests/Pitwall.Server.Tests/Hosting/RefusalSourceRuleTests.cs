using System.Text.RegularExpressions;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Hosting;

/// <summary>DESIGN §3.4: expected failures are one <c>Refusal</c> value (Hosting), mapped in one place for the API and one for
/// the portal; a feature keeps its particular refusals as values of it, never as a refusal type of its own.</summary>
public sealed partial class RefusalSourceRuleTests
{
    [Fact]
    public void No_refusal_record_is_declared_outside_hosting()
    {
        var source = Path.Combine(PortalBrowser.RepositoryRoot(), "src");
        var hosting = Path.Combine(source, "Pitwall.Server", "Hosting") + Path.DirectorySeparatorChar;
        var offenders = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(hosting, StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => RefusalRecord().Matches(File.ReadAllText(f)).Select(m => $"{Path.GetRelativePath(source, f)}: {m.Value}"))
            .ToList();
        Assert.True(offenders.Count == 0, $"Refusal types outside Hosting (use Hosting.Refusal): {string.Join(", ", offenders)}");
    }

    [GeneratedRegex(@"\brecord\s+(?:class\s+|struct\s+)?\w*Refusal\b")]
    private static partial Regex RefusalRecord();
}
