using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Charging.Invoices;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>
/// The card the charging invoices are collected from (G2). The card number never reaches Pitwall: the form's number field has no
/// name, the page's script sends it to the payment provider's card entry (<c>Charging:PaymentCardEntryUrl</c>; the local provider's
/// <c>/local-payments/v1/tokens</c>) and posts only the provider's token here; Pitwall stores the token and the last four digits
/// (<c>PUT /api/v1/me/payment-card</c> does the same).
/// </summary>
internal sealed class PaymentCardModel(IChargingInvoices invoices, IStringLocalizer<PortalText> t) : PortalPage
{
    public PaymentCardResponse? Card { get; private set; }

    public string EntryUrl => invoices.CardEntryUrl;

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Token { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Card = await invoices.CardAsync(AccountId, cancellationToken);

    public async Task<IActionResult> OnPostSaveAsync(CancellationToken cancellationToken)
    {
        var (card, refusal) = await invoices.SetCardAsync(AccountId, Token, cancellationToken);
        if (card is null)
        {
            ShowRefusal(refusal!, t, _ => "");
            Card = await invoices.CardAsync(AccountId, cancellationToken);
            return Page();
        }
        Message = t["Saved: your invoices are collected from the card ending in {0}.", card.Last4];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRemoveAsync(CancellationToken cancellationToken)
    {
        Message = await invoices.RemoveCardAsync(AccountId, cancellationToken) ? t["The card is removed: please pay by bank transfer."].Value : null;
        return RedirectToPage();
    }
}
