using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.AspNetCore.WebUtilities;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.SecondFactor;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>The password step; a second factor follows where the account has one (<c>/signin/verify</c>) or must enrol one
/// (<c>/account/second-factor</c>).</summary>
internal sealed class SignInModel(SignInService signIn, SecondFactors factors, IAccessTokenValidator validator, IStringLocalizer<PortalText> t) : PageModel
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
        var step = await PortalAuth.PasswordStepAsync(Email!, Password!, signIn, factors, validator, cancellationToken);
        if (step.Pending is { } pending)
        {
            await HttpContext.SignInAsync(PortalAuth.PendingScheme, pending);
            var next = pending.HasClaim(PortalAuth.PendingClaim, PortalAuth.PendingVerify) ? "/signin/verify" : "/account/second-factor";
            return LocalRedirect(QueryHelpers.AddQueryString(next, "ReturnUrl", Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : ""));
        }
        if (step.Session is not { } principal)
        {
            ModelState.AddModelError("", t[step.Error!]);
            return Page();
        }
        return LocalRedirect(await PortalAuth.CompleteAsync(HttpContext, principal, ReturnUrl, Url));
    }
}
