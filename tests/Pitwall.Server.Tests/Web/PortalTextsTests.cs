using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Data.Privacy;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Server.Web;

namespace Pitwall.Server.Tests.Web;

/// <summary>
/// The portal speaks English, German and French (REQUIREMENTS U1). Its texts live where their pages' feature lives: the
/// frame's in <c>Web/PortalText.*.resx</c>, each feature's in <c>Features/&lt;Feature&gt;/&lt;Feature&gt;Text.*.resx</c>, added by
/// the feature's module; the pages read them all through one localizer. These tests keep the translations complete.
/// </summary>
public sealed partial class PortalTextsTests : IAsyncLifetime
{
    private static readonly string Server = Path.Combine(PortalBrowser.RepositoryRoot(), "src", "Pitwall.Server");
    private static readonly string[] Languages = ["de", "fr"];
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"pitwall-texts-{Guid.NewGuid():N}.db");
    private WebApplication _app = null!;

    public Task InitializeAsync()
    {
        _app = Program.BuildApp([], b => b.Configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Pitwall:Database:ConnectionString"] = $"Data Source={_database}" }));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        File.Delete(_database);
    }

    private PortalLocalizer Localizer => (PortalLocalizer)_app.Services.GetRequiredService<IStringLocalizer<PortalText>>();

    [Fact]
    public void Every_resource_file_has_the_same_keys_in_German_and_French_and_translates_each_English_name()
    {
        var resources = ResourceFiles();
        Assert.Contains("Web/PortalText", resources.Keys);
        Assert.Contains("Features/Trips/TripsText", resources.Keys);
        foreach (var (resource, cultures) in resources)
        {
            Assert.True(cultures.ContainsKey("de") && cultures.ContainsKey("fr"), $"{resource} needs a .de.resx and a .fr.resx");
            var german = cultures["de"];
            var french = cultures["fr"];
            Assert.True(german.SetEquals(french), $"{resource}: only in German: {string.Join(" | ", german.Except(french))}; " +
                $"only in French: {string.Join(" | ", french.Except(german))}");
            foreach (var (culture, keys) in cultures)
            {
                // The resource compiler keeps one of two names that differ only in case ("online", "Online").
                var clashes = keys.GroupBy(k => k, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g));
                Assert.True(!clashes.Any(), $"{resource}.{culture}: keys differing only in case: {string.Join("; ", clashes)}");
            }
            var names = cultures.GetValueOrDefault("", []);
            Assert.True(names.IsSubsetOf(german), $"{resource}.resx names codes that are not translated: {string.Join(" | ", names.Except(german))}");
        }
    }

    [Fact]
    public void No_text_is_defined_by_two_resources()
    {
        var owners = ResourceFiles()
            .SelectMany(r => r.Value.Values.SelectMany(keys => keys).Distinct().Select(key => (Key: key, Resource: r.Key)))
            .GroupBy(k => k.Key, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => $"\"{g.Key}\" in {string.Join(" and ", g.Select(k => k.Resource))}")
            .ToList();
        Assert.True(owners.Count == 0, "A text belongs to one feature (or to the frame in Web/ when several use it): " + string.Join("; ", owners));
        foreach (var culture in Languages.Append(""))
        {
            _ = Localizer.Level(culture); // the localizer refuses a text two sources define
        }
    }

    [Fact]
    public void Every_resource_file_is_added_to_the_portals_localizer()
    {
        var registered = _app.Services.GetServices<PortalTextSource>().Select(s => s.Marker.Name).Order(StringComparer.Ordinal);
        var files = ResourceFiles().Keys.Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(files, registered);
    }

    [Fact]
    public void Every_text_the_pages_use_has_a_German_and_a_French_translation()
    {
        var used = UsedTexts(_app.Services.GetRequiredService<INotificationTypes>(), _app.Services.GetRequiredService<VehicleTabs>()).ToList();
        Assert.Contains("Trip statistics", used); // the scan finds the pages' texts
        Assert.Contains("hidden: private mode", used); // and what the helpers of a page hand to the localizer
        foreach (var language in Languages)
        {
            var texts = Localizer.Level(language);
            var missing = used.Where(key => !texts.ContainsKey(key)).Distinct().Order(StringComparer.Ordinal).ToList();
            Assert.True(missing.Count == 0, $"Not translated to {language}: {string.Join(" | ", missing)}");
        }
    }

    [Fact]
    public void Every_notification_template_has_an_English_German_and_French_text_with_the_same_placeholders()
    {
        var templates = _app.Services.GetRequiredService<NotificationTemplates>().Keys;
        Assert.Contains("notification:contract.renews", templates); // each feature registers its own
        Assert.Contains("notification:alarm.triggered", templates);
        var texts = new[] { "", "de", "fr" }.ToDictionary(c => c, c => Localizer.Level(c));
        foreach (var key in templates)
        {
            Assert.True(texts.All(t => t.Value.ContainsKey(key)),
                $"The notification template {key} needs a text in {string.Join(", ", texts.Where(t => !t.Value.ContainsKey(key)).Select(t => t.Key.Length == 0 ? "English (the feature's .resx)" : t.Key))}");
            var english = NotificationRenderer.Placeholders(texts[""][key]).ToList();
            foreach (var language in Languages)
            {
                Assert.True(english.SequenceEqual(NotificationRenderer.Placeholders(texts[language][key])),
                    $"{key} in {language} has other placeholders than in English: {texts[language][key]} / {texts[""][key]}");
            }
        }
    }

    [Fact]
    public void The_localizer_reads_the_frames_and_each_features_texts_in_the_request_language()
    {
        var t = Localizer;
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de");
            Assert.Equal("Fahrtstatistik", t["Trip statistics"].Value); // Features/Trips
            Assert.Equal("Fahrzeug", t["Vehicle"].Value); // the frame
            Assert.Equal("Durchschnittsverbrauch (kWh/100 km)", t["Average consumption ({0})", "kWh/100 km"].Value);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("fr");
            Assert.Equal("Véhicule", t["Vehicle"].Value);
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("de-AT");
            Assert.Equal("Fahrzeug", t["Vehicle"].Value); // by language, as the browser's languages are read
            CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
            Assert.Equal("Start charging", t["charge_start"].Value); // a code's English name
            Assert.Equal("Vehicle", t["Vehicle"].Value);
            var unknown = t["No such text"];
            Assert.Equal(("No such text", true), (unknown.Value, unknown.ResourceNotFound));
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }

    /// <summary>Every resx file of the server by resource ("Web/PortalText") and culture ("" for the English names, "de", "fr").</summary>
    private static Dictionary<string, Dictionary<string, HashSet<string>>> ResourceFiles()
    {
        var resources = new Dictionary<string, Dictionary<string, HashSet<string>>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Server, "*.resx", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
        {
            var name = Path.GetRelativePath(Server, file).Replace('\\', '/')[..^".resx".Length];
            var culture = Path.GetExtension(name).TrimStart('.');
            var resource = culture.Length == 0 ? name : name[..^(culture.Length + 1)];
            var keys = XDocument.Load(file).Root!.Elements("data").Select(d => (string)d.Attribute("name")!).ToHashSet(StringComparer.Ordinal);
            (resources.TryGetValue(resource, out var cultures) ? cultures : resources[resource] = [])[culture] = keys;
        }
        return resources;
    }

    /// <summary>The keys the portal hands to its localizer: literals in <c>T[…]</c>, <c>Texts[…]</c>, <c>t[…]</c> in the pages and the
    /// portal's code, the texts the helpers named there return, the legal bases, the registered notification types'
    /// titles and labels and the vehicle tabs' labels.</summary>
    private static IEnumerable<string> UsedTexts(INotificationTypes notifications, VehicleTabs tabs)
    {
        var code = Directory.EnumerateFiles(Path.Combine(Server, "Web"), "*.*", SearchOption.AllDirectories)
            .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".cshtml", StringComparison.Ordinal)) && !IsBuildOutput(f))
            .Select(f => (Text: File.ReadAllText(f), Classes: ClassDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value).ToHashSet()))
            .ToList();
        var lookups = code.SelectMany(c => Lookup().Matches(c.Text)).Select(m => m.Groups["inner"].Value).ToList();
        var helpers = lookups.SelectMany(l => HelperCall().Matches(l)).Select(m => (Class: m.Groups["class"].Value, Name: m.Groups["name"].Value)).ToList();
        var helperTexts = code.SelectMany(c => HelperBody().Matches(c.Text)
                .Where(m => helpers.Any(h => h.Name == m.Groups["name"].Value && (h.Class.Length == 0 || c.Classes.Contains(h.Class)))))
            .SelectMany(m => Returned().Matches(m.Groups["body"].Value));
        return lookups.SelectMany(l => Literal().Matches(l)).Concat(helperTexts)
            .Select(m => Regex.Unescape(m.Groups["text"].Value))
            .Where(text => text.Any(char.IsLetter))
            .Concat(Enum.GetValues<LegalBasis>().Select(b => b.Describe()))
            .Concat(notifications.All.SelectMany(n => new[] { n.Title, n.Label }))
            .Concat(tabs.All.Select(t => t.Label));
    }

    private static bool IsBuildOutput(string file) =>
        file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
        file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ||
        file.Contains("node_modules", StringComparison.Ordinal);

    /// <summary>What is inside the brackets of a lookup in the portal's localizer.</summary>
    [GeneratedRegex(@"\b(?:T|Texts|t)\[(?<inner>[^\[\]\r\n]*)\]")]
    private static partial Regex Lookup();

    /// <summary>A string literal that is a key: first in the brackets or a choice (<c>?</c>, <c>:</c>, <c>??</c>), not a
    /// format's argument nor the code a condition compares with (<c>v.Role == "primary" ? … : …</c>).</summary>
    [GeneratedRegex(@"(?<=^\s*|[?:]\s*)""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Literal();

    /// <summary>A call of a helper, with its class when named: <c>AlarmsModel.Reason(…)</c>, <c>Missing(…)</c>.</summary>
    [GeneratedRegex(@"(?<![\w.])(?:(?<class>[A-Z]\w*)\.)?(?<name>[A-Z]\w*)\(")]
    private static partial Regex HelperCall();

    [GeneratedRegex(@"\bclass\s+(\w+)")]
    private static partial Regex ClassDeclaration();

    /// <summary>A helper with an expression body, without <c>this</c> (extension methods are read from their types instead).</summary>
    [GeneratedRegex(@"\bstring\??\s+(?<name>\w+)\((?![^)]*\bthis\b)[^)]*\)\s*=>(?<body>.*?);\s*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex HelperBody();

    /// <summary>A literal the helper returns: after <c>=&gt;</c>, <c>?</c>, <c>:</c> or <c>??</c>.</summary>
    [GeneratedRegex(@"(?:=>|\?|:)\s*""(?<text>(?:[^""\\]|\\.)*)""")]
    private static partial Regex Returned();
}
