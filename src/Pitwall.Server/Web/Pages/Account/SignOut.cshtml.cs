using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>Ends the portal's sign-in session (a POST with the anti-forgery token; a GET only shows the way back).</summary>
internal sealed class SignOutModel(SignInService signIn) : PageModel
{
    public IActionResult OnGet() => Redirect("/vehicles");

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (User.FindFirst(PitwallClaims.SessionId)?.Value is { } session)
        {
            await signIn.EndSessionAsync(session, cancellationToken);
        }
        await HttpContext.SignOutAsync(PortalAuth.Scheme);
        return Redirect("/signin");
    }
}
