using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Resources;
using Microsoft.Extensions.Localization;

namespace Pitwall.Server.Web;

/// <summary>
/// The portal's one localizer over the frame's texts and every feature's (<see cref="PortalTexts.AddPortalTexts{TText}"/>).
/// A key (the English sentence, or a code) reads as its translation in the UI culture, else its English name from a neutral
/// resource, else itself. The texts of a culture are merged into one dictionary the first time they are asked for: a page
/// renders hundreds of keys on every refresh.
/// </summary>
internal sealed class PortalLocalizer(IEnumerable<PortalTextSource> sources) : IStringLocalizer<PortalText>, IPortalTextCatalogue
{
    private readonly PortalTextSource[] _sources = [.. sources.Distinct()];
    private readonly ConcurrentDictionary<string, FrozenDictionary<string, string>> _cultures = new(StringComparer.Ordinal);

    public LocalizedString this[string name]
    {
        get
        {
            ArgumentNullException.ThrowIfNull(name);
            var found = Texts(CultureInfo.CurrentUICulture).TryGetValue(name, out var value);
            return new LocalizedString(name, value ?? name, resourceNotFound: !found);
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            var text = this[name];
            return new LocalizedString(name, string.Format(CultureInfo.CurrentCulture, text.Value, arguments), text.ResourceNotFound);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        (includeParentCultures ? Texts(CultureInfo.CurrentUICulture) : (IEnumerable<KeyValuePair<string, string>>)Level(CultureInfo.CurrentUICulture.Name))
            .Select(t => new LocalizedString(t.Key, t.Value, resourceNotFound: false));

    public IReadOnlyDictionary<string, string> TextsIn(CultureInfo culture) => Texts(culture);

    /// <summary>Every text of the culture: its own, then its language's ("de" for "de-AT"), then the English names.</summary>
    internal FrozenDictionary<string, string> Texts(CultureInfo culture) => _cultures.GetOrAdd(culture.Name, name =>
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var level in Chain(name))
        {
            foreach (var (key, value) in Level(level))
            {
                texts.TryAdd(key, value);
            }
        }
        return texts.ToFrozenDictionary(StringComparer.Ordinal);
    });

    /// <summary>The texts one culture's resource files define ("" for the neutral ones), across all sources; a key that two
    /// sources define is an error.</summary>
    internal Dictionary<string, string> Level(string culture)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        var owners = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var source in _sources)
        {
            foreach (var (key, value) in Read(source.Marker, culture))
            {
                if (!owners.TryAdd(key, source.Marker))
                {
                    throw new InvalidOperationException(
                        $"The portal text \"{key}\" is defined by both {owners[key].Name} and {source.Marker.Name} ({Display(culture)}).");
                }
                texts[key] = value;
            }
        }
        return texts;
    }

    /// <summary>The texts of one resource file: <paramref name="marker"/>'s resx for <paramref name="culture"/> alone, without
    /// its parents; none when the file does not exist.</summary>
    internal static IEnumerable<KeyValuePair<string, string>> Read(Type marker, string culture)
    {
        var set = new ResourceManager(marker).GetResourceSet(
            culture.Length == 0 ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false);
        return set is null ? [] : [.. set.Cast<System.Collections.DictionaryEntry>()
            .Where(e => e.Value is string)
            .Select(e => KeyValuePair.Create((string)e.Key, (string)e.Value!))];
    }

    private static IEnumerable<string> Chain(string culture)
    {
        if (culture.Length > 0)
        {
            yield return culture;
            var language = culture.Split('-')[0];
            if (language != culture)
            {
                yield return language;
            }
        }
        yield return "";
    }

    private static string Display(string culture) => culture.Length == 0 ? "English names" : culture;
}
