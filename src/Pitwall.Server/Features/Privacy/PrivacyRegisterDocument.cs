using System.Text;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

/// <summary>
/// The data-category register as a Markdown document (docs/privacy-register.md). It is rendered from the categories the
/// features declare, and a test compares the committed file with it, so the document cannot drift from the code.
/// </summary>
internal static class PrivacyRegisterDocument
{
    public static string Render(IEnumerable<DataCategory> categories)
    {
        var text = new StringBuilder();
        text.AppendLine("# Pitwall privacy register");
        text.AppendLine();
        text.AppendLine("What Pitwall stores, why, on what legal basis, for how long and who else receives it. Generated from the code by");
        text.AppendLine("`pitwall admin privacy-register --out docs/privacy-register.md`; do not edit by hand (a test fails when this file and the code disagree). The same");
        text.AppendLine("register is served at `GET /api/v1/privacy/data-categories`.");
        text.AppendLine();
        text.AppendLine("| category | personal data | legal basis | kept | tables |");
        text.AppendLine("|---|---|---|---|---|");
        var list = categories.OrderBy(c => c.Id, StringComparer.Ordinal).ToList();
        foreach (var c in list)
        {
            text.AppendLine($"| [`{c.Id}`](#{c.Id}) {c.Name} | {(c.PersonalData ? "yes" : "no")} | {c.LegalBasis.Describe()} | {c.Retention.Description} | " +
                            $"{string.Join(", ", c.Tables.Select(t => $"`{t.Name}`"))} |");
        }
        foreach (var c in list)
        {
            text.AppendLine();
            text.AppendLine($"## {c.Id}");
            text.AppendLine();
            text.AppendLine($"**{c.Name}.** {c.Purpose}");
            text.AppendLine();
            text.AppendLine($"- Legal basis: {c.LegalBasis.Describe()}.");
            text.AppendLine($"- Kept: {c.Retention.Description}" + (c.Tables.FirstOrDefault(t => t.AgeColumn is not null) is { } aged
                ? $" (counted from `{aged.AgeColumn}`; the retention job removes what is older)." : ".")
                + (c.Tables.Where(t => t.PartitionedByDay).Select(t => $"`{t.Name}`").ToList() is { Count: > 0 } partitioned
                    ? $" On PostgreSQL {string.Join(" and ", partitioned)} {(partitioned.Count == 1 ? "is" : "are")} partitioned by day: expiry drops " +
                      "the days that have wholly expired and deletes the expired entries of the day in between, so nothing stays past its period."
                    : ""));
            if (c.Retention.Markets.Count > 0)
            {
                text.AppendLine($"- Per market (the country whose notice applies): {string.Join("; ", c.Retention.Markets.Select(m =>
                    $"{(m.Market is null ? "any other market" : $"`{m.Market}`")} {m.Years} years ({(int)m.Period.TotalDays} days)"))}.");
            }
            text.AppendLine($"- Personal data: {(c.PersonalData ? "yes" : "no")}.");
            text.AppendLine($"- Tables: {string.Join(", ", c.Tables.Select(t => $"`{t.Name}`"))}.");
            text.AppendLine(c.Processors.Count == 0
                ? "- Shared with: nobody outside the operator."
                : $"- Shared with: {string.Join("; ", c.Processors.Select(p => $"{p.Name} ({p.Purpose}; receives {Elements(p)}{(p.MayBeOutsideEea ? "; may be outside the EU/EEA" : "; inside the EU/EEA")})"))}.");
        }
        var processors = list.SelectMany(c => c.Processors.Select(p => (Processor: p, Category: c.Id)))
            .GroupBy(x => x.Processor.Name, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        if (processors.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("## Processors");
            text.AppendLine();
            text.AppendLine("What each processor may receive (P4). The server's calls to providers (push, SMS, e-mail, webhooks, map tiles) pass the");
            text.AppendLine("processor gateway, which sends a provider only the elements listed here, removes VINs and coordinates from the title and");
            text.AppendLine("text of one that may receive neither, and counts and logs what it removed (never the content): this list is its rule.");
            text.AppendLine();
            text.AppendLine("| processor | receives | outside the EU/EEA | categories |");
            text.AppendLine("|---|---|---|---|");
            foreach (var group in processors)
            {
                var p = group.First().Processor;
                text.AppendLine($"| {p.Name} | {Elements(p)} | {(p.MayBeOutsideEea ? "may be" : "no")} | " +
                                $"{string.Join(", ", group.Select(x => $"[`{x.Category}`](#{x.Category})").Distinct())} |");
            }
        }
        return text.ToString();
    }

    private static string Elements(Processor processor) =>
        processor.Elements.Count == 0 ? "nothing (no elements declared)" : string.Join(", ", processor.Elements.Select(e => e.Describe()));
}
