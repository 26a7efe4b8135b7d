using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.OwnersManual;

/// <summary>A section as a reader sees it; <see cref="ImageUrl"/> is an SVG drawing.</summary>
public sealed record ManualSectionResponse(
    string Id, string ChapterId, string ChapterTitle, string Title, IReadOnlyList<string> Paragraphs, string? ImageUrl,
    IReadOnlyList<string> Warnings, bool Favourite);

public sealed record ManualSectionSummary(string Id, string Title, IReadOnlyList<string> Warnings);

public sealed record ManualChapterResponse(string Id, string Title, IReadOnlyList<ManualSectionSummary> Sections);

public sealed record ManualVisitResponse(string Id, string Title, DateTimeOffset VisitedAt);

/// <summary>The manual for one car: its model's chapters, the reader's favourites and recently visited sections, and the
/// sections the car's own display opened last (since the reader has had the car).</summary>
public sealed record ManualResponse(
    string Vin, string Model, IReadOnlyList<ManualChapterResponse> Chapters, IReadOnlyList<ManualSectionSummary> Favourites,
    IReadOnlyList<ManualVisitResponse> Recent, IReadOnlyList<ManualSectionSummary> RecentInCar);

public sealed record ManualHitResponse(string Id, string Title, string ChapterTitle, string Snippet, double Score);

public sealed record ManualSearchResponse(string Query, IReadOnlyList<ManualHitResponse> Hits);

/// <summary>
/// What the API and the portal do with the manual for a reader and a car; the car's own display asks through
/// <see cref="ManualLookupHandler"/>. A reader needs a usage profile first (the seed's "first activation").
/// </summary>
public sealed class ManualReader(ManualContent content, ManualStore store, IVehicleDirectory vehicles)
{
    public const int MaxQueryLength = 100;
    private const int RecentShown = 10;

    public static readonly Refusal ProfileRequired = Refusal.Conflict(
        ManualErrorCodes.ProfileRequired, "Create your usage profile for the owner's manual first (PUT /api/v1/manual/profile).");

    public static readonly Refusal SectionNotFound = Refusal.NotFound("No such section in this car's manual.");

    /// <summary>The reader's profile, its use noted; or why the manual cannot be read.</summary>
    public async Task<Refusal?> EnterAsync(string accountId, CancellationToken cancellationToken)
    {
        if (await store.ProfileAsync(accountId, cancellationToken) is not { } profile)
        {
            return ProfileRequired;
        }
        await store.TouchAsync(accountId, profile, cancellationToken);
        return null;
    }

    public async Task<string> ModelOfAsync(string vin, CancellationToken cancellationToken) =>
        (await vehicles.FindAsync(vin, cancellationToken))?.Model ?? "";

    public async Task<ManualResponse> TableOfContentsAsync(string accountId, string vin, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var model = await ModelOfAsync(vin, cancellationToken);
        var chapters = content.For(model).GroupBy(s => (s.ChapterId, s.ChapterTitle))
            .Select(g => new ManualChapterResponse(g.Key.ChapterId, g.Key.ChapterTitle, [.. g.Select(Summary)])).ToList();
        var favourites = (await store.FavouritesAsync(accountId, vin, cancellationToken)).Select(id => content.Find(id, model)).OfType<ManualSection>();
        var recent = (await store.RecentAsync(accountId, vin, RecentShown, cancellationToken))
            .Select(v => content.Find(v.SectionId, model) is { } s ? new ManualVisitResponse(s.Id, s.Title, v.VisitedAt) : null).OfType<ManualVisitResponse>();
        var inCar = (await store.CarRecentAsync(vin, since, RecentShown, cancellationToken)).Select(id => content.Find(id, model)).OfType<ManualSection>();
        return new ManualResponse(vin, model, chapters, [.. favourites.Select(Summary)], [.. recent], [.. inCar.Select(Summary)]);
    }

    /// <summary>Opens a section (by its id, or as the one a warning message links to) and notes the visit.</summary>
    public async Task<(ManualSectionResponse? Section, Refusal? Refusal)> OpenAsync(
        string accountId, string vin, string? sectionId, string? warningCode, CancellationToken cancellationToken)
    {
        var model = await ModelOfAsync(vin, cancellationToken);
        var section = sectionId is not null ? content.Find(sectionId, model) : content.ForWarning(warningCode ?? "", model);
        if (section is null)
        {
            return (null, SectionNotFound);
        }
        await store.VisitedAsync(accountId, vin, section.Id, cancellationToken);
        var favourite = (await store.FavouritesAsync(accountId, vin, cancellationToken)).Contains(section.Id);
        return (Response(section, favourite), null);
    }

    public async Task<(ManualSearchResponse? Result, Refusal? Refusal)> SearchAsync(string vin, string? query, CancellationToken cancellationToken)
    {
        var q = query?.Trim() ?? "";
        if (q.Length == 0)
        {
            return (new ManualSearchResponse(q, []), null); // nothing asked, nothing found
        }
        if (q.Length is < 2 or > MaxQueryLength)
        {
            return (null, Refusal.Invalid("q", $"Search for 2 to {MaxQueryLength} characters."));
        }
        var hits = content.Search(q, await ModelOfAsync(vin, cancellationToken), limit: 20);
        return (new ManualSearchResponse(q, [.. hits.Select(h => new ManualHitResponse(h.Section.Id, h.Section.Title, h.Section.ChapterTitle, h.Snippet, h.Score))]), null);
    }

    /// <returns>Null when marked or unmarked; a refusal for a section the car's manual does not have.</returns>
    public async Task<Refusal?> SetFavouriteAsync(string accountId, string vin, string sectionId, bool favourite, CancellationToken cancellationToken)
    {
        if (favourite && content.Find(sectionId, await ModelOfAsync(vin, cancellationToken)) is null)
        {
            return SectionNotFound;
        }
        await store.SetFavouriteAsync(accountId, vin, sectionId, favourite, cancellationToken);
        return null;
    }

    internal static ManualSectionResponse Response(ManualSection s, bool favourite) =>
        new(s.Id, s.ChapterId, s.ChapterTitle, s.Title, s.Paragraphs, s.Image is { } image ? ImagePath(image) : null, s.Warnings, favourite);

    public static string ImagePath(string image) => $"/api/v1/manual/images/{image}.svg";

    private static ManualSectionSummary Summary(ManualSection s) => new(s.Id, s.Title, s.Warnings);
}
