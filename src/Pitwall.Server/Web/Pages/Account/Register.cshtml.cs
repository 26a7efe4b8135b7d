using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>Creates an owner account with the API's rules, then signs it in.</summary>
internal sealed class RegisterModel(
    AccountStore accounts, IPasswordHasher<Features.Accounts.Account> hasher, SignInService signIn, Features.Accounts.SecondFactor.SecondFactors factors, IAccessTokenValidator validator, TimeProvider time,
    IStringLocalizer<PortalText> t) : PortalPage
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? Locale { get; set; } = "en";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        AccountValidation.Name(Name, errors);
        AccountValidation.Email(Email, errors);
        AccountValidation.Password(Password, errors);
        AccountValidation.Locale(Locale, errors);
        if (errors.Any)
        {
            AddErrors(errors, t);
            return Page();
        }
        var account = AccountFactory.New(Email!, Password!, Name!, Roles.Owner, hasher, time, locale: Locale);
        if (!await accounts.TryInsertAsync(account, cancellationToken))
        {
            ModelState.AddModelError(nameof(Email), t["An account with this e-mail address exists."]);
            return Page();
        }
        // A new owner has no second factor yet: the password step starts the session.
        var signedIn = await PortalAuth.PasswordStepAsync(Email!, Password!, signIn, factors, validator, cancellationToken);
        await HttpContext.SignInAsync(PortalAuth.Scheme, signedIn.Session!);
        CultureModel.SetCulture(Response, Locale);
        return Redirect("/vehicles");
    }
}
