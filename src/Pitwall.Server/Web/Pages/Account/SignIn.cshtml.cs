using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

internal sealed class SignInModel(SignInService signIn, IAccessTokenValidator validator, AccountStore accounts, IStringLocalizer<PortalText> t) : PageModel
{
    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(Email))
        {
            ModelState.AddModelError(nameof(Email), t["Enter your e-mail address."]);
        }
        if (string.IsNullOrEmpty(Password))
        {
            ModelState.AddModelError(nameof(Password), t["Enter your password."]);
        }
        if (!ModelState.IsValid)
        {
            return Page();
        }
        var (principal, error) = await PortalAuth.SignInAsync(Email!, Password!, signIn, validator, accounts, cancellationToken);
        if (principal is null)
        {
            ModelState.AddModelError("", t[error!]);
            return Page();
        }
        await HttpContext.SignInAsync(PortalAuth.Scheme, principal);
        CultureModel.SetCulture(Response, principal.FindFirst(PortalAuth.LocaleClaim)?.Value);
        PortalTime.Choose(Response, principal.FindFirst(PortalAuth.TimeZoneClaim)?.Value);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : PortalAuth.HomeOf(principal));
    }
}
