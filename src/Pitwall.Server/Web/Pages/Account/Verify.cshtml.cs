using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.SecondFactor;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>The second step of signing in (after the password; also when the OpenID Connect provider sent the user here): a
/// code from the authenticator app, or a recovery code. A wrong one counts toward the lock-out and goes to the security log.</summary>
internal sealed class VerifyModel(
    AccountStore accounts, SignInService signIn, SecondFactors factors, IAccessTokenValidator validator, IStringLocalizer<PortalText> t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await PortalAuth.PendingAsync(HttpContext) is (_, PortalAuth.PendingVerify) ? Page() : Redirect("/signin");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await PortalAuth.PendingAsync(HttpContext) is not (var accountId, PortalAuth.PendingVerify)
            || await accounts.FindAsync(accountId, cancellationToken) is not { } account)
        {
            return Redirect("/signin");
        }
        if (string.IsNullOrWhiteSpace(Code))
        {
            ModelState.AddModelError(nameof(Code), t["Enter the code from your authenticator app."]);
            return Page();
        }
        switch (await factors.VerifyAsync(account, Code, cancellationToken))
        {
            case SecondFactorCheck.Accepted:
                var principal = await PortalAuth.SessionAsync(new PasswordCheck(account, null, null), secondFactor: true, signIn, validator, cancellationToken);
                if (principal is null)
                {
                    break;
                }
                return LocalRedirect(await PortalAuth.CompleteAsync(HttpContext, principal, ReturnUrl, Url));
            case SecondFactorCheck.LockedOut:
                await HttpContext.SignOutAsync(PortalAuth.PendingScheme);
                ModelState.AddModelError("", t["Too many failed sign-ins for this e-mail address; try again later."]);
                return Page();
        }
        Code = null;
        ModelState.AddModelError(nameof(Code), t["The code is wrong or was already used."]);
        return Page();
    }
}
