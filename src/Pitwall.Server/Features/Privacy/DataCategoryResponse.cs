using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy;

public sealed record DataCategoryResponse(
    string Id,
    string Name,
    string Purpose,
    LegalBasis LegalBasis,
    RetentionResponse Retention,
    bool PersonalData,
    IReadOnlyList<string> Tables,
    IReadOnlyList<ProcessorResponse> Processors)
{
    public static DataCategoryResponse From(DataCategory c) => new(
        c.Id, c.Name, c.Purpose, c.LegalBasis,
        new RetentionResponse(c.Retention.Kind, c.Retention.Period is { } p && c.Retention.Markets.Count == 0 ? (int)p.TotalDays : null, c.Retention.Description,
            c.Retention.Markets.Count == 0 ? null : c.Retention.Markets.Select(m => new MarketRetentionResponse(m.Market, m.Years, (int)m.Period.TotalDays)).ToList()),
        c.PersonalData,
        c.Tables.Select(t => t.Name).ToList(),
        c.Processors.Select(ProcessorResponse.From).ToList());
}

/// <summary>How long data of a category is kept; <c>days</c> is set for timed rules that are the same everywhere, <c>markets</c>
/// for those whose period depends on the market.</summary>
public sealed record RetentionResponse(RetentionKind Kind, int? Days, string Description, IReadOnlyList<MarketRetentionResponse>? Markets);

/// <summary>The period of one market (ISO 3166-1 alpha-2); <c>market</c> null is every market not listed.</summary>
public sealed record MarketRetentionResponse(string? Market, int Years, int Days);

/// <summary>Someone the data goes to; <c>elements</c> is everything they may receive (P4), the rule the processor gateway
/// enforces on every call to them.</summary>
public sealed record ProcessorResponse(string Name, string Purpose, bool MayBeOutsideEea, IReadOnlyList<DataElement> Elements)
{
    public static ProcessorResponse From(Processor p) => new(p.Name, p.Purpose, p.MayBeOutsideEea, p.Elements);
}
