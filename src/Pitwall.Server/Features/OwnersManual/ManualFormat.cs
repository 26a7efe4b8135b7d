namespace Pitwall.Server.Features.OwnersManual;

/// <summary>
/// Reads the manual's plain-text source: <c># id Title</c> starts a chapter, <c>## id Title</c> a section; a section's first
/// lines may be <c>models:</c>, <c>warnings:</c> (comma-separated) and <c>image:</c>; then paragraphs, one per line. Lines
/// starting with <c>;</c> are comments. Anything else is an error naming its line; a test parses the shipped file.
/// </summary>
internal static class ManualFormat
{
    public static IReadOnlyList<ManualSection> Parse(string text)
    {
        var sections = new List<ManualSection>();
        string? chapterId = null, chapterTitle = null;
        Draft? draft = null;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r', ' ');
            if (line.Length == 0 || line.StartsWith(';'))
            {
                continue;
            }
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                Flush();
                var (id, title) = Heading(line[3..], number);
                draft = chapterId is null ? throw Error(number, "a section before the first chapter") : new Draft(id, title);
            }
            else if (line.StartsWith("# ", StringComparison.Ordinal))
            {
                Flush();
                (chapterId, chapterTitle) = Heading(line[2..], number);
            }
            else if (draft is null)
            {
                throw Error(number, "text outside a section");
            }
            else if (draft.Paragraphs.Count == 0 && Field(line, "models:") is { } models)
            {
                draft.Models = List(models);
            }
            else if (draft.Paragraphs.Count == 0 && Field(line, "warnings:") is { } warnings)
            {
                draft.Warnings = List(warnings);
            }
            else if (draft.Paragraphs.Count == 0 && Field(line, "image:") is { } image)
            {
                draft.Image = image;
            }
            else
            {
                draft.Paragraphs.Add(line.Trim());
            }
        }
        Flush();
        return sections;

        void Flush()
        {
            if (draft is null)
            {
                return;
            }
            if (draft.Paragraphs.Count == 0 || sections.Any(s => s.Id == draft.Id))
            {
                throw Error(number, $"section '{draft.Id}' is empty or not unique");
            }
            sections.Add(new ManualSection(
                draft.Id, chapterId!, chapterTitle!, draft.Title, draft.Paragraphs, draft.Models, draft.Warnings, draft.Image, sections.Count));
            draft = null;
        }
    }

    private static (string Id, string Title) Heading(string text, int number)
    {
        var space = text.IndexOf(' ');
        var id = space > 0 ? text[..space] : "";
        if (id.Length == 0 || !id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-') || text[(space + 1)..].Trim().Length == 0)
        {
            throw Error(number, "a heading needs an id of a-z, 0-9 and '-', then a title");
        }
        return (id, text[(space + 1)..].Trim());
    }

    private static string? Field(string line, string name) =>
        line.StartsWith(name, StringComparison.Ordinal) ? line[name.Length..].Trim() : null;

    private static List<string> List(string value) =>
        [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static FormatException Error(int line, string what) => new($"Owner's manual, line {line}: {what}.");

    private sealed class Draft(string id, string title)
    {
        public string Id { get; } = id;
        public string Title { get; } = title;
        public List<string> Paragraphs { get; } = [];
        public List<string> Models { get; set; } = [];
        public List<string> Warnings { get; set; } = [];
        public string? Image { get; set; }
    }
}
