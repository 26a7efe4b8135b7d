using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts.OpenIdConnect;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>
/// The consent screen (issue 20): a third-party app asks to use the owner's cars; the owner picks the cars and, of the scopes the
/// app asked for, those it gets. The answer goes back to <c>/connect/authorize</c> with the original request, which then sends
/// the app its code (or <c>access_denied</c>).
/// </summary>
internal sealed class ConsentModel(AppConsents consents, IVehicleAccess access, IStringLocalizer<PortalText> t) : PortalPage
{
    public string AppName { get; private set; } = "";

    public IReadOnlyList<string> Asked { get; private set; } = [];

    public IReadOnlyList<Vehicle> Cars { get; private set; } = [];

    /// <summary>The authorization request as it came (a query string without "?"), to go back to.</summary>
    [BindProperty]
    public string? AuthorizationRequest { get; set; }

    [BindProperty]
    public List<string> Vins { get; set; } = [];

    [BindProperty]
    public List<string> Scopes { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        AuthorizationRequest = HttpContext.Request.QueryString.Value?.TrimStart('?');
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        Scopes = [.. Asked];
        return Page();
    }

    public async Task<IActionResult> OnPostAllowAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return NotFound();
        }
        var vins = Vins.Where(v => Cars.Any(c => c.Vin == v)).Distinct().ToList();
        var scopes = Scopes.Where(Asked.Contains).Distinct().ToList();
        if (vins.Count == 0)
        {
            ModelState.AddModelError(nameof(Vins), t["Choose at least one car."]);
        }
        if (scopes.Count == 0)
        {
            ModelState.AddModelError(nameof(Scopes), t["Choose at least one thing the app may do."]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var query = QueryHelpers.ParseQuery(AuthorizationRequest);
        var protocol = query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => s is "openid" or "offline_access");
        var id = await consents.GiveAsync(AccountId, query["client_id"].ToString(),
            vins.ToDictionary(v => v, _ => (IReadOnlyList<string>)scopes, StringComparer.Ordinal), protocol, cancellationToken);
        return Back(id);
    }

    public IActionResult OnPostDeny() => Back(AppConsents.Denied);

    /// <summary>A scope in the owner's words (texts <c>scope:&lt;name&gt;</c> of Accounts).</summary>
    public static string ScopeName(IStringLocalizer t, string scope) => t[string.Concat("scope:", scope)];

    private IActionResult Back(string decision) =>
        LocalRedirect(QueryHelpers.AddQueryString(AppConsents.AuthorizePath + "?" + (AuthorizationRequest ?? ""), AppConsents.DecisionParameter, decision));

    /// <summary>The app, what it asked for and the owner's cars; false when the request names no third-party app.</summary>
    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var query = QueryHelpers.ParseQuery(AuthorizationRequest);
        if (await consents.AppNameAsync(query["client_id"].ToString(), cancellationToken) is not { } name)
        {
            return false;
        }
        AppName = name;
        Asked = [.. query["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(Hosting.Auth.Scopes.ThirdParty.Contains).Distinct()];
        var cars = new List<Vehicle>();
        foreach (var vin in await access.VinsOfAsync(AccountId, cancellationToken))
        {
            if (await access.MineAsync(AccountId, vin, cancellationToken) is { Role: VehicleRole.Primary } mine)
            {
                cars.Add(mine.Vehicle);
            }
        }
        Cars = cars;
        return true;
    }
}
