using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>The catalogue: term, price and whether a package is on sale (the rest through the API or the command line).</summary>
internal sealed class AdminPackagesModel(PackageStore packages, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<Package> Packages { get; private set; } = [];

    public string? Saved { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Packages = await packages.ListAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(string? id, int? termMonths, long? priceMinor, bool active, CancellationToken cancellationToken)
    {
        if (id is not null && await packages.FindAsync(id, cancellationToken) is { } current)
        {
            var request = new SavePackageRequest(current.Name, current.Services, termMonths, priceMinor, current.Currency,
                current.Fits.Select(f => new FitResponse(f.Model, f.FromYear, f.ToYear)).ToList(), current.NeedsCarSecurityDetails, active);
            var errors = new ValidationErrors();
            if (request.ToPackage(id, errors) is { } changed)
            {
                await packages.SaveAsync(changed, cancellationToken);
                Saved = changed.Name;
            }
            else
            {
                AddErrors(errors, t);
            }
        }
        Packages = await packages.ListAsync(cancellationToken);
        return Page();
    }
}
