using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Protocol;
using Pitwall.Server.Features.Commands;
using Pitwall.Server.Features.OwnersManual;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Vehicles;

/// <summary>
/// The owner's manual for the car (F4): its model's chapters, full-text search, a section with its drawing, favourites, the
/// sections the reader and the car's display visited last, and the usage profile the manual needs first. The same rules as
/// <c>/api/v1/vehicles/{vin}/manual</c>; a warning message's link opens with <c>?warning=code</c>.
/// </summary>
internal sealed class ManualModel(VehicleStore vehicles, CommandIssuer issuer, IStringLocalizer<PortalText> t) : VehiclePage(vehicles, issuer, t)
{
    /// <summary>Why the manual cannot be shown (the car's packages); null when it can.</summary>
    public string? Refused { get; private set; }

    public bool NeedsProfile { get; private set; }

    public ManualResponse? Contents { get; private set; }

    public ManualSectionResponse? Section { get; private set; }

    public ManualSearchResponse? Results { get; private set; }

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    [BindProperty(SupportsGet = true, Name = "section")]
    public string? SectionId { get; set; }

    [BindProperty(SupportsGet = true, Name = "warning")]
    public string? WarningCode { get; set; }

    [BindProperty]
    public string? ProfileName { get; set; }

    [BindProperty]
    public bool Favourite { get; set; }

    private ManualReader Reader => HttpContext.RequestServices.GetRequiredService<ManualReader>();

    public async Task<IActionResult> OnGetAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (await EnterAsync(cancellationToken))
        {
            if (SectionId is not null || WarningCode is not null)
            {
                var (section, notFound) = await Reader.OpenAsync(AccountId, Vin, SectionId, WarningCode, cancellationToken);
                Section = section;
                if (notFound is not null)
                {
                    ShowRefusal(notFound, Texts);
                }
            }
            if (!string.IsNullOrWhiteSpace(Query))
            {
                var (results, invalid) = await Reader.SearchAsync(Vin, Query, cancellationToken);
                Results = results;
                if (invalid is not null)
                {
                    ShowRefusal(invalid, Texts, _ => "q");
                }
            }
            Contents = await Reader.TableOfContentsAsync(AccountId, Vin, AccessSince, cancellationToken);
        }
        return Page();
    }

    /// <summary>Creates the reader's usage profile (the API's <c>PUT /api/v1/manual/profile</c>).</summary>
    public async Task<IActionResult> OnPostProfileAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        var name = ProfileName?.Trim() ?? "";
        if (name.Length is 0 or > ManualEndpoints.MaxNameLength)
        {
            ModelState.AddModelError(nameof(ProfileName), Texts["Give a name of 1 to 100 characters."]);
            NeedsProfile = true;
            return Page();
        }
        await HttpContext.RequestServices.GetRequiredService<ManualStore>().SaveProfileAsync(AccountId, name, CancellationToken.None);
        return Redirect($"/vehicles/{Vin}/manual");
    }

    /// <summary>Marks or unmarks the open section as a favourite.</summary>
    public async Task<IActionResult> OnPostFavouriteAsync(string vin, CancellationToken cancellationToken)
    {
        if (!await FindAsync(vin, cancellationToken))
        {
            return NotFound();
        }
        if (SectionId is not null && await EnterAsync(cancellationToken)
            && await Reader.SetFavouriteAsync(AccountId, Vin, SectionId, Favourite, CancellationToken.None) is null)
        {
            return Redirect($"/vehicles/{Vin}/manual?section={Uri.EscapeDataString(SectionId)}");
        }
        return await OnGetAsync(vin, cancellationToken);
    }

    /// <returns>True when the manual may be read: the gate let the use pass and the reader has a profile.</returns>
    private async Task<bool> EnterAsync(CancellationToken cancellationToken)
    {
        if (await UseAsync(ServiceIds.OwnersManual, ServiceUse.Read, count: true, cancellationToken) is { } refusal)
        {
            Refused = Texts[Wording(refusal)];
            return false;
        }
        NeedsProfile = await Reader.EnterAsync(AccountId, cancellationToken) is not null;
        return !NeedsProfile;
    }
}
