using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>The account's name, phone numbers and language (the API's <c>PATCH /me</c> rules), its password (<c>POST /me/password</c>'s
/// rules: the current one first; other sessions end, this one stays), the remote PIN, consents, the data export and erasure.</summary>
internal sealed class ProfileModel(
    AccountStore accounts, SignInService signIn, Features.Privacy.DataExport export, Features.Privacy.AccountErasure erasure,
    Features.Privacy.Consents consents, TimeProvider time, IStringLocalizer<PortalText> t) : PortalPage
{
    /// <summary>Whether the account has a remote PIN (unlocking asks for it); changing it asks for the password too.</summary>
    public bool PinSet { get; private set; }

    public bool PinSaved { get; private set; }

    [BindProperty]
    public string? NewPin { get; set; }

    [BindProperty]
    public string? RepeatPin { get; set; }

    [BindProperty]
    public string? PinPassword { get; set; }

    public string Email { get; private set; } = "";

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Locale { get; set; }

    /// <summary>The account's time zone (an IANA id); empty: the browser's.</summary>
    [BindProperty]
    public string? TimeZone { get; set; }

    /// <summary>The time zones to choose from: every IANA zone this machine knows, by name.</summary>
    public static IReadOnlyList<string> Zones { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId && z.Id.Contains('/', StringComparison.Ordinal)).Select(z => z.Id).Order(StringComparer.Ordinal)];

    /// <summary>The phone numbers, one a line; spaces, dashes, dots, slashes and brackets are taken out before they are checked.</summary>
    [BindProperty]
    public string? PhoneNumbers { get; set; }

    public bool Saved { get; private set; }

    public bool PasswordChanged { get; private set; }

    [BindProperty]
    public string? OldPassword { get; set; }

    [BindProperty]
    public string? NewPassword { get; set; }

    [BindProperty]
    public string? RepeatPassword { get; set; }

    [BindProperty]
    public string? CurrentPassword { get; set; }

    public IReadOnlyList<Features.Privacy.ConsentRecord> Consents { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(bool saved, bool pinSaved, bool passwordChanged, CancellationToken cancellationToken)
    {
        (Saved, PinSaved, PasswordChanged) = (saved, pinSaved, passwordChanged);
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    /// <summary>Changes the password: the current one, then the new one twice. Every other sign-in session ends; this one stays.</summary>
    public async Task<IActionResult> OnPostPasswordAsync(CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(AccountId, cancellationToken) is not { } account)
        {
            return NotFound();
        }
        var errors = new ValidationErrors();
        AccountValidation.Password(NewPassword, errors, "newPassword");
        if (OldPassword is null || !signIn.VerifyPassword(account, OldPassword))
        {
            ModelState.AddModelError(nameof(OldPassword), t["The current password is wrong."]);
        }
        else if (errors.Any)
        {
            AddErrors(errors, t);
        }
        else if (NewPassword != RepeatPassword)
        {
            ModelState.AddModelError(nameof(RepeatPassword), t["The two passwords differ; type the same password twice."]);
        }
        else
        {
            await signIn.SetPasswordAsync(account, NewPassword!, User.SessionIdOf(), CancellationToken.None);
            return Redirect("/profile?passwordChanged=true");
        }
        return await LoadAsync(cancellationToken, keepPhoneNumbers: false) ? Page() : NotFound();
    }

    /// <summary>Sets or changes the remote PIN (the API's <c>PUT /api/v1/me/remote-pin</c> rules); the PIN is typed twice.</summary>
    public async Task<IActionResult> OnPostPinAsync(CancellationToken cancellationToken)
    {
        if (NewPin != RepeatPin)
        {
            ModelState.AddModelError(nameof(RepeatPin), t["The two PINs differ; type the same PIN twice."]);
        }
        else if (await PinSetting.SetAsync(AccountId, NewPin, PinPassword, CancellationToken.None) is { } refusal)
        {
            ShowRefusal(refusal, t, field => field == "pin" ? nameof(NewPin) : field, key: refusal.Errors is null ? nameof(PinPassword) : "");
        }
        else
        {
            return Redirect("/profile?pinSaved=true");
        }
        return await LoadAsync(cancellationToken) ? Page() : NotFound();
    }

    private Features.Commands.RemotePinSetting PinSetting => HttpContext.RequestServices.GetRequiredService<Features.Commands.RemotePinSetting>();

    private async Task<bool> LoadAsync(CancellationToken cancellationToken, bool keepPhoneNumbers = false)
    {
        if (await accounts.FindAsync(AccountId, cancellationToken) is not { } account)
        {
            return false;
        }
        (Email, Name, Locale, TimeZone) = (account.Email, account.Name, account.Locale, account.TimeZone);
        if (!keepPhoneNumbers)
        {
            PhoneNumbers = string.Join('\n', account.PhoneNumbers);
        }
        Consents = await consents.ListAsync(AccountId, cancellationToken);
        PinSet = await PinSetting.IsSetAsync(AccountId, cancellationToken);
        return true;
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string? consentId, CancellationToken cancellationToken)
    {
        if (consentId is not null)
        {
            await consents.WithdrawAsync(AccountId, consentId, cancellationToken);
        }
        return Redirect("/profile");
    }

    /// <summary>P6: the same archive as <c>GET /api/v1/me/data-export</c>.</summary>
    public async Task<IActionResult> OnGetExportAsync(CancellationToken cancellationToken) =>
        File(await export.CreateAsync(AccountId, cancellationToken), "application/zip", $"pitwall-data-{time.GetUtcNow():yyyyMMdd}.zip");

    /// <summary>P6: erase the account (the same path as <c>DELETE /api/v1/me</c>), then the session is gone too.</summary>
    public async Task<IActionResult> OnPostEraseAsync(CancellationToken cancellationToken)
    {
        if (await accounts.FindAsync(AccountId, cancellationToken) is not { } account)
        {
            return NotFound();
        }
        if (CurrentPassword is null || !signIn.VerifyPassword(account, CurrentPassword))
        {
            (Email, Name, Locale, TimeZone, PhoneNumbers) = (account.Email, account.Name, account.Locale, account.TimeZone, string.Join('\n', account.PhoneNumbers));
            ModelState.AddModelError(nameof(CurrentPassword), t["Erasing the account needs its current password."]);
            Consents = await consents.ListAsync(AccountId, cancellationToken);
            PinSet = await PinSetting.IsSetAsync(AccountId, cancellationToken);
            return Page();
        }
        await erasure.EraseAsync(account, cancellationToken);
        await HttpContext.SignOutAsync(PortalAuth.Scheme);
        return Redirect("/signin");
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var account = await accounts.FindAsync(AccountId, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }
        Email = account.Email;
        var phoneNumbers = ParsePhoneNumbers(PhoneNumbers);
        var errors = new ValidationErrors();
        AccountValidation.Name(Name, errors);
        AccountValidation.Locale(Locale, errors);
        AccountValidation.TimeZone(TimeZone, errors);
        AccountValidation.PhoneNumbers(phoneNumbers, errors);
        if (errors.Any)
        {
            AddErrors(errors, t, field => field.StartsWith("phoneNumbers", StringComparison.Ordinal) ? nameof(PhoneNumbers) : char.ToUpperInvariant(field[0]) + field[1..]);
            Consents = await consents.ListAsync(AccountId, cancellationToken);
            PinSet = await PinSetting.IsSetAsync(AccountId, cancellationToken);
            return Page();
        }
        await accounts.UpdateProfileAsync(
            account with
            {
                Name = Name!.Trim(), Locale = Locale!, TimeZone = string.IsNullOrEmpty(TimeZone) ? null : TimeZone, PhoneNumbers = phoneNumbers,
                UpdatedAt = time.GetUtcNow(),
            }, cancellationToken);
        CultureModel.SetCulture(Response, Locale);
        PortalTime.Choose(Response, TimeZone);
        return Redirect("/profile?saved=true");
    }
}
