using System.Text.RegularExpressions;
using System.Xml.Linq;
using Pitwall.Server.Tests.Infrastructure;

namespace Pitwall.Server.Tests.Web;

/// <summary>The words of theft cases outside the pages' own code: the names of a case's codes (<c>CaseWording</c>), which the
/// security centre's and the authority's pages and the printable report hand to the portal's localizer, and the refusals of
/// the security centre's and the authority's workflows, which the pages show in the reader's language — each needs a German
/// and a French text, with the same placeholders.</summary>
public sealed partial class CaseTextsTests
{
    private static readonly string Server = Path.Combine(PortalBrowser.RepositoryRoot(), "src", "Pitwall.Server");
    private static readonly string CarSecurity = Path.Combine(Server, "Features", "CarSecurity");

    [Fact]
    public void Every_case_word_and_every_workflow_refusal_has_a_German_and_a_French_text_with_the_same_placeholders()
    {
        var words = Named().Matches(File.ReadAllText(Path.Combine(CarSecurity, "CaseWording.cs"))).Select(m => m.Groups["text"].Value).ToList();
        var refusals = new[] { "SocWorkflow.cs", "AuthorityTracking.cs" }
            .SelectMany(f => Refused().Matches(File.ReadAllText(Path.Combine(CarSecurity, f))))
            .Select(m => Regex.Unescape(m.Groups["text"].Value))
            .ToList();
        Assert.Contains("Handed to the authority", words);
        Assert.Contains("Authority's file number", words);
        Assert.Contains("detected by the car", words);
        Assert.Contains("Call the stored numbers in order: number {0} is next.", refusals); // a conflict with a number
        Assert.Contains("{0} to {1} seconds.", refusals); // a field's limits
        Assert.Contains("Claim the case first.", refusals);
        foreach (var language in new[] { "de", "fr" })
        {
            var texts = Texts(language);
            var missing = words.Concat(refusals).Where(w => !texts.ContainsKey(w)).Distinct().ToList();
            Assert.True(missing.Count == 0, $"Not translated to {language}: {string.Join(" | ", missing)}");
            var changed = refusals.Where(r => !Placeholder().Matches(r).Select(m => m.Value).Order()
                .SequenceEqual(Placeholder().Matches(texts[r]).Select(m => m.Value).Order())).ToList();
            Assert.True(changed.Count == 0, $"Other placeholders in {language}: {string.Join(" | ", changed)}");
        }
    }

    /// <summary>Every text of one language, across the server's resource files.</summary>
    private static Dictionary<string, string> Texts(string language) =>
        Directory.EnumerateFiles(Server, $"*.{language}.resx", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) &&
                        !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => XDocument.Load(f).Root!.Elements("data"))
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string)d.Element("value")!, StringComparer.Ordinal);

    /// <summary>A name of a code in a switch arm: <c>CaseStates.Open =&gt; "Open"</c>, <c>CaseSources.Owner =&gt; t["Reported by the owner"]</c>.</summary>
    [GeneratedRegex(@"=>\s*(?:t\[)?""(?<text>[^""]+)""")]
    private static partial Regex Named();

    /// <summary>The sentence of a refusal: a field's message, a validation failure's, or a refusal's title.</summary>
    [GeneratedRegex(@"(?:errors\.Add\(|Refusal\.Invalid\()""\w+"",\s*""(?<text>(?:[^""\\]|\\.)+)""|(?:ErrorCodes|CarSecurityErrorCodes)\.\w+,\s*""(?<text>(?:[^""\\]|\\.)+)""")]
    private static partial Regex Refused();

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
