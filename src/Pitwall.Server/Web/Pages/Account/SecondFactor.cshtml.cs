using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Features.Accounts.SecondFactor;
using Pitwall.Server.Hosting.Auth;
using QRCoder;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>
/// The second factor: enrolling an authenticator app (a QR code of the otpauth URI, the secret as text, then a code back) and
/// the recovery codes, shown once. Staff without one land here right after the password and are signed in only when the
/// first code is right; an account that is signed in (an owner choosing it in the profile) enrols here too, and an owner may
/// switch it off again with a current code.
/// </summary>
internal sealed class SecondFactorModel(
    AccountStore accounts, SignInService signIn, SecondFactors factors, IAccessTokenValidator validator, IStringLocalizer<PortalText> t) : PageModel
{
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public SecondFactorStatus Status { get; private set; } = new(false, 0);

    /// <summary>Set while enrolling: the secret as text and the QR code (SVG) of its otpauth URI.</summary>
    public string? Secret { get; private set; }

    public string? QrSvg { get; private set; }

    public string? OtpAuthUri { get; private set; }

    /// <summary>The recovery codes, right after enrolment only.</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>True when this sign-in waits for the enrolment (a staff member's first sign-in).</summary>
    public bool Enrolling { get; private set; }

    /// <summary>Whether the account may switch its second factor off (owners and drivers; staff cannot).</summary>
    public bool MayRemove { get; private set; }

    public string Next { get; private set; } = "/profile";

    public bool Removed { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await WhoAsync(cancellationToken) is { } account ? await ShowAsync(account, cancellationToken) : Redirect("/signin");

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken cancellationToken)
    {
        if (await WhoAsync(cancellationToken) is not { } account)
        {
            return Redirect("/signin");
        }
        if (await factors.ConfirmAsync(account.Id, Code, cancellationToken) is not { } codes)
        {
            Code = null;
            ModelState.AddModelError(nameof(Code), t["The code is wrong. Check the time on your phone and enter the newest code."]);
            return await ShowAsync(account, cancellationToken);
        }
        ClaimsPrincipal? principal;
        if (Enrolling)
        {
            // The staff member's sign-in ends here: the password was right, the first code too.
            principal = await PortalAuth.SessionAsync(new PasswordCheck(account, null, null), secondFactor: true, signIn, validator, cancellationToken);
            Next = principal is null ? "/signin" : await PortalAuth.CompleteAsync(HttpContext, principal, ReturnUrl, Url);
        }
        else
        {
            // Signed in already: this session has now passed a second factor too.
            var identity = new ClaimsIdentity(User.Claims.Where(c => c.Type != PortalAuth.SecondFactorClaim), PortalAuth.Scheme, PitwallClaims.AccountId, PitwallClaims.Role);
            identity.AddClaim(new Claim(PortalAuth.SecondFactorClaim, "totp"));
            principal = new ClaimsPrincipal(identity);
            await HttpContext.SignInAsync(PortalAuth.Scheme, principal);
            Next = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/profile";
        }
        Enrolling = false;
        RecoveryCodes = codes;
        Status = new SecondFactorStatus(true, codes.Count);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        if (await WhoAsync(cancellationToken) is not { } account || Enrolling)
        {
            return Redirect("/signin");
        }
        if (factors.IsRequired(account.Role) || !(await factors.StatusAsync(account.Id, cancellationToken)).Enrolled)
        {
            return await ShowAsync(account, cancellationToken);
        }
        if (await factors.VerifyAsync(account, Code, cancellationToken) != SecondFactorCheck.Accepted)
        {
            Code = null;
            ModelState.AddModelError(nameof(Code), t["The code is wrong or was already used."]);
            return await ShowAsync(account, cancellationToken);
        }
        await factors.SwitchOffAsync(account.Id, cancellationToken);
        Removed = true;
        return await ShowAsync(account, cancellationToken);
    }

    /// <summary>The signed-in account, else the one a pending enrolment names; null for neither.</summary>
    private async Task<Features.Accounts.Account?> WhoAsync(CancellationToken cancellationToken)
    {
        var portal = await HttpContext.AuthenticateAsync(PortalAuth.Scheme);
        if (portal.Succeeded)
        {
            HttpContext.User = portal.Principal;
            return await accounts.FindAsync(portal.Principal.AccountIdOf(), cancellationToken);
        }
        if (await PortalAuth.PendingAsync(HttpContext) is (var accountId, PortalAuth.PendingEnrol))
        {
            Enrolling = true;
            return await accounts.FindAsync(accountId, cancellationToken);
        }
        return null;
    }

    private async Task<IActionResult> ShowAsync(Features.Accounts.Account account, CancellationToken cancellationToken)
    {
        Status = await factors.StatusAsync(account.Id, cancellationToken);
        MayRemove = !factors.IsRequired(account.Role);
        if (!Status.Enrolled && await factors.PendingSecretAsync(account.Id, cancellationToken) is { } secret)
        {
            Secret = string.Join(' ', secret.Chunk(4).Select(c => new string(c)));
            OtpAuthUri = factors.OtpAuthUri(account, secret);
            using var generator = new QRCodeGenerator();
            using var data = generator.CreateQrCode(OtpAuthUri, QRCodeGenerator.ECCLevel.M);
            QrSvg = new SvgQRCode(data).GetGraphic(5);
        }
        return Page();
    }
}
