using System.Globalization;
using System.Text;

namespace Pitwall.Server.Features.OwnersManual;

/// <param name="Snippet">The words around the first match in the section's text.</param>
internal sealed record ManualHit(ManualSection Section, double Score, string Snippet);

/// <summary>
/// Full-text search over the manual: an inverted index of word stems, built once. Every word of a query must occur (the last
/// may be the start of a word, as the reader is still typing); a match in a title weighs more than one in the text.
/// </summary>
internal sealed class ManualSearch
{
    private const double TitleWeight = 4, ChapterWeight = 1.5, TextWeight = 1;
    private readonly Dictionary<string, Dictionary<int, double>> _index = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<ManualSection> _sections;

    public ManualSearch(IReadOnlyList<ManualSection> sections)
    {
        _sections = sections;
        for (var i = 0; i < sections.Count; i++)
        {
            Add(i, sections[i].Title, TitleWeight);
            Add(i, sections[i].ChapterTitle, ChapterWeight);
            foreach (var paragraph in sections[i].Paragraphs)
            {
                Add(i, paragraph, TextWeight);
            }
        }
    }

    public IReadOnlyList<ManualHit> Find(string query, string model, int limit)
    {
        var terms = Words(query).Select(Stem).Distinct().ToList();
        if (terms.Count == 0)
        {
            return [];
        }
        Dictionary<int, double>? scores = null;
        for (var t = 0; t < terms.Count; t++)
        {
            var matches = Matches(terms[t], prefix: t == terms.Count - 1);
            scores = scores is null ? matches : scores.Where(s => matches.ContainsKey(s.Key)).ToDictionary(s => s.Key, s => s.Value + matches[s.Key]);
        }
        return [.. scores!
            .Where(s => _sections[s.Key].AppliesTo(model))
            .OrderByDescending(s => s.Value).ThenBy(s => s.Key)
            .Take(limit)
            .Select(s => new ManualHit(_sections[s.Key], Math.Round(s.Value, 2), Snippet(_sections[s.Key], terms)))];
    }

    private Dictionary<int, double> Matches(string term, bool prefix)
    {
        var found = new Dictionary<int, double>();
        foreach (var (stem, postings) in _index)
        {
            if (stem == term || prefix && term.Length >= 3 && stem.StartsWith(term, StringComparison.Ordinal))
            {
                foreach (var (section, weight) in postings)
                {
                    found[section] = Math.Max(found.GetValueOrDefault(section), weight);
                }
            }
        }
        return found;
    }

    private void Add(int section, string text, double weight)
    {
        foreach (var word in Words(text))
        {
            var postings = _index.TryGetValue(Stem(word), out var p) ? p : _index[Stem(word)] = [];
            // Repeats count, but less and less, so that a long section does not win by length alone.
            postings[section] = postings.GetValueOrDefault(section) + weight / (1 + postings.GetValueOrDefault(section));
        }
    }

    /// <summary>Lower-case words without accents; a hyphenated word counts whole and by its parts, so "pre-conditioning",
    /// "Preconditioning" and "jump start" all meet the text.</summary>
    internal static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        var parts = new List<string>();
        var part = 0;
        foreach (var c in text.Normalize(NormalizationForm.FormD).Append(' '))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue; // an accent
            }
            else if (c == '-' && word.Length > part)
            {
                parts.Add(word.ToString(part, word.Length - part));
                part = word.Length;
            }
            else if (word.Length > 0)
            {
                if (parts.Count > 0 && word.Length > part)
                {
                    parts.Add(word.ToString(part, word.Length - part));
                    foreach (var piece in parts)
                    {
                        yield return piece;
                    }
                }
                yield return word.ToString();
                word.Clear();
                parts.Clear();
                part = 0;
            }
        }
    }

    /// <summary>A light English stemmer: plurals and the commonest endings, enough for "tyres"/"tyre", "charging"/"charge".</summary>
    internal static string Stem(string word)
    {
        foreach (var ending in (ReadOnlySpan<string>)["ing", "ies", "es", "ed", "s", "e"])
        {
            if (word.Length > ending.Length + 3 && word.EndsWith(ending, StringComparison.Ordinal))
            {
                return word[..^ending.Length] + (ending == "ies" ? "y" : "");
            }
        }
        return word;
    }

    private static string Snippet(ManualSection section, IReadOnlyList<string> terms)
    {
        foreach (var paragraph in section.Paragraphs)
        {
            var words = paragraph.Split(' ');
            var at = Array.FindIndex(words, w => Words(w).Any(x => terms.Any(t => Stem(x).StartsWith(t, StringComparison.Ordinal))));
            if (at >= 0)
            {
                var from = Math.Max(0, at - 8);
                var count = Math.Min(words.Length - from, 24);
                return (from > 0 ? "… " : "") + string.Join(' ', words, from, count) + (from + count < words.Length ? " …" : "");
            }
        }
        return string.Join(' ', section.Paragraphs[0].Split(' ').Take(24)) + " …";
    }
}
