using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>The catalogue: new packages, and each package's term, price (in currency units) and whether it is on sale.</summary>
internal sealed partial class AdminPackagesModel(PackageStore packages, IEnumerable<ProvidedService> provided, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<Package> Packages { get; private set; } = [];

    /// <summary>The services some feature of this platform provides: a package of these can be sold.</summary>
    public IReadOnlyList<string> Services { get; } = [.. provided.Select(p => p.Id).Distinct().Order(StringComparer.Ordinal)];

    public string? Saved { get; private set; }

    [BindProperty]
    public string? NewId { get; set; }

    [BindProperty]
    public string? NewName { get; set; }

    [BindProperty]
    public List<string> NewServices { get; set; } = [];

    [BindProperty]
    public int? NewTermMonths { get; set; } = 12;

    [BindProperty]
    public string? NewPrice { get; set; }

    [BindProperty]
    public string? NewCurrency { get; set; } = "EUR";

    [BindProperty]
    public string? NewFits { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Packages = await packages.ListAsync(cancellationToken);

    /// <summary>Changes one package's term, price and sale.</summary>
    public async Task<IActionResult> OnPostAsync(string? id, int? termMonths, string? price, bool active, CancellationToken cancellationToken)
    {
        if (id is not null && await packages.FindAsync(id, cancellationToken) is { } current)
        {
            var request = new SavePackageRequest(current.Name, current.Services, termMonths, MinorUnits(price), current.Currency,
                current.Fits.Select(f => new FitResponse(f.Model, f.FromYear, f.ToYear)).ToList(), current.NeedsCarSecurityDetails, active);
            await SaveAsync(id, request, _ => "", cancellationToken);
        }
        Packages = await packages.ListAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostCreateAsync(bool newNeedsCarSecurityDetails, bool newActive, CancellationToken cancellationToken)
    {
        var id = NewId?.Trim() ?? "";
        if (await packages.FindAsync(id, cancellationToken) is not null)
        {
            ModelState.AddModelError(nameof(NewId), t["A package with this id exists; change it in the list below."]);
        }
        else
        {
            var request = new SavePackageRequest(NewName, NewServices, NewTermMonths, MinorUnits(NewPrice), NewCurrency?.Trim().ToUpperInvariant(),
                ParseFits(NewFits), newNeedsCarSecurityDetails, newActive);
            if (await SaveAsync(id, request, NewField, cancellationToken))
            {
                ModelState.Clear();
                (NewId, NewName, NewServices, NewPrice, NewFits) = (null, null, [], null, null);
            }
        }
        Packages = await packages.ListAsync(cancellationToken);
        return Page();
    }

    private static string NewField(string field) => field switch
    {
        "id" => nameof(NewId),
        "name" => nameof(NewName),
        "services" => nameof(NewServices),
        "termMonths" => nameof(NewTermMonths),
        "priceMinor" => nameof(NewPrice),
        "currency" => nameof(NewCurrency),
        "fits" => nameof(NewFits),
        _ => "",
    };

    private async Task<bool> SaveAsync(string id, SavePackageRequest request, Func<string, string> fieldOf, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (request.PriceMinor is null) // in the portal's words: the API's rule speaks of minor units
        {
            errors.Add("priceMinor", "Enter the price in the currency's units, e.g. 89.00.");
            request = request with { PriceMinor = 0 };
        }
        if (request.ToPackage(id, errors) is not { } package || errors.Any)
        {
            AddErrors(errors, t, fieldOf);
            return false;
        }
        await packages.SaveAsync(package, cancellationToken);
        Saved = package.Name;
        return true;
    }

    /// <summary>"89", "89.00" or "89,00" in cents; null (refused by the package's rules) when it is no amount.</summary>
    private static long? MinorUnits(string? price) =>
        price?.Trim().Replace(',', '.') is { Length: > 0 } text && AmountPattern().IsMatch(text)
        && decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            ? (long)(amount * 100)
            : null;

    /// <summary>"Taycan 2020-, 911 2011-2019, Cayenne" → fit rules; empty → every model.</summary>
    private static List<FitResponse> ParseFits(string? text)
    {
        var fits = new List<FitResponse>();
        foreach (var part in (text ?? "").Split([',', '\n', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var match = FitPattern().Match(part);
            fits.Add(match.Success
                ? new FitResponse(match.Groups["model"].Value.Trim(), Year(match.Groups["from"]), Year(match.Groups["to"]))
                : new FitResponse(part, null, null));
        }
        return fits.Count == 0 ? [new FitResponse("", null, null)] : fits;
    }

    private static int? Year(Group group) => group.Success ? int.Parse(group.Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"^\d{1,9}(\.\d{1,2})?$")]
    private static partial Regex AmountPattern();

    [GeneratedRegex(@"^(?<model>.*?)\s+(?<from>\d{4})?\s*-\s*(?<to>\d{4})?$")]
    private static partial Regex FitPattern();
}
