using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>One account for administrators: its name and role changed, disabled or enabled again, through the same
/// <see cref="UserAdministration"/> as <c>PATCH /api/v1/admin/users/{id}</c>; a refusal is shown at its field.</summary>
internal sealed class AdminUserModel(UserAdministration users, IStringLocalizer<PortalText> t) : PortalPage
{
    public UserResponse Account { get; private set; } = null!;

    [TempData]
    public string? Message { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Role { get; set; }

    [BindProperty]
    public bool Disabled { get; set; }

    public async Task<IActionResult> OnGetAsync(string id, CancellationToken cancellationToken)
    {
        if (await users.FindAsync(id, cancellationToken) is not { } account)
        {
            return NotFound();
        }
        Account = account;
        (Name, Role, Disabled) = (account.Name, account.Role, account.DisabledAt is not null);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string id, CancellationToken cancellationToken)
    {
        var (changed, refusal) = await users.UpdateAsync(AccountId, id, new UserUpdateRequest(Name ?? "", Role, Disabled), cancellationToken);
        if (refusal == UserAdministration.UserNotFound)
        {
            return NotFound();
        }
        if (refusal is not null)
        {
            ShowRefusal(refusal, t, field => char.ToUpperInvariant(field[0]) + field[1..], "user-error");
            Account = (await users.FindAsync(id, cancellationToken))!;
            return Page();
        }
        Message = changed!.DisabledAt is null ? t["Saved."] : t["Saved. The account is disabled: it cannot sign in."];
        return Redirect($"/admin/users/{Uri.EscapeDataString(id)}");
    }
}
