namespace Pitwall.Server.Features.OwnersManual;

/// <summary>A section of the manual: what a reader opens, searches and marks as a favourite.</summary>
/// <param name="Models">The models it applies to; empty for every model.</param>
/// <param name="Warnings">The car's warning and information messages that link to it.</param>
/// <param name="Image">The name of its drawing (<c>Content/&lt;image&gt;.svg</c>), if it has one.</param>
internal sealed record ManualSection(
    string Id, string ChapterId, string ChapterTitle, string Title, IReadOnlyList<string> Paragraphs, IReadOnlyList<string> Models,
    IReadOnlyList<string> Warnings, string? Image, int Position)
{
    public bool AppliesTo(string model) => Models.Count == 0 || Models.Contains(model, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// The owner's manual (F4), shipped with the platform like its texts (<c>Content/manual.txt</c> and its drawings, embedded
/// resources): versioned with the software, the same on every instance and database, nothing personal in it. Each reader
/// sees the sections that apply to the car's model.
/// </summary>
public sealed class ManualContent
{
    private const string ResourcePrefix = "Pitwall.Server.Features.OwnersManual.Content.";
    private readonly Dictionary<string, ManualSection> _byId;
    private readonly Dictionary<string, string> _byWarning;
    private readonly ManualSearch _search;

    internal IReadOnlyList<ManualSection> Sections { get; }

    internal ManualContent(IReadOnlyList<ManualSection> sections)
    {
        Sections = sections;
        _byId = sections.ToDictionary(s => s.Id, StringComparer.Ordinal);
        _byWarning = new(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            foreach (var warning in section.Warnings)
            {
                _byWarning.TryAdd(warning, section.Id); // the first section that names a warning explains it
            }
        }
        _search = new ManualSearch(sections);
    }

    /// <summary>The manual as shipped in this binary.</summary>
    internal static ManualContent Shipped()
    {
        using var stream = typeof(ManualContent).Assembly.GetManifestResourceStream(ResourcePrefix + "manual.txt")
            ?? throw new InvalidOperationException("The owner's manual is not embedded in this build.");
        using var reader = new StreamReader(stream);
        return new ManualContent(ManualFormat.Parse(reader.ReadToEnd()));
    }

    internal ManualSection? Find(string sectionId, string model) =>
        _byId.TryGetValue(sectionId, out var section) && section.AppliesTo(model) ? section : null;

    /// <summary>The section a warning message of the car links to, for the car's model.</summary>
    internal ManualSection? ForWarning(string warningCode, string model) =>
        _byWarning.TryGetValue(warningCode, out var id) ? Find(id, model) : null;

    internal IReadOnlyList<ManualSection> For(string model) => [.. Sections.Where(s => s.AppliesTo(model))];

    internal IReadOnlyList<ManualHit> Search(string query, string model, int limit) => _search.Find(query, model, limit);

    /// <summary>An embedded drawing's SVG text, or null for a name that is not one.</summary>
    public static byte[]? Image(string name)
    {
        if (name.Length is 0 or > 40 || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-'))
        {
            return null;
        }
        using var stream = typeof(ManualContent).Assembly.GetManifestResourceStream(ResourcePrefix + name + ".svg");
        if (stream is null)
        {
            return null;
        }
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
