using Microsoft.AspNetCore.Mvc;
using Pitwall.Server.Features.Accounts.OpenIdConnect;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>Connected apps: the third-party apps the owner let use their cars, per car with what each may do; withdrawing a car
/// ends the app's use of it at once, and withdrawing the last one ends the app's tokens.</summary>
internal sealed class AppsModel(AppConsents consents) : PortalPage
{
    public IReadOnlyList<AppConsent> Apps { get; private set; } = [];

    public string? Withdrawn { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Apps = await consents.ListAsync(AccountId, cancellationToken);

    public async Task<IActionResult> OnPostWithdrawAsync(string? consentId, string? vin, CancellationToken cancellationToken)
    {
        var app = (await consents.ListAsync(AccountId, cancellationToken)).FirstOrDefault(a => a.Id == consentId);
        if (app is not null && await consents.WithdrawAsync(AccountId, app.Id, vin, cancellationToken))
        {
            Withdrawn = app.AppName;
        }
        Apps = await consents.ListAsync(AccountId, cancellationToken);
        return Page();
    }
}
