using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>Administrators create accounts of any role (as <c>pitwall admin create-user</c> does) and see the latest ones.</summary>
internal sealed class AdminUsersModel(AccountAdministration administration, AccountStore accounts, IStringLocalizer<PortalText> t) : PortalPage
{
    public IReadOnlyList<(string Id, string Email, string Name, string Role)> Accounts { get; private set; } = [];

    public string? Created { get; private set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Role { get; set; } = "owner";

    [BindProperty]
    public string? Password { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Accounts = await accounts.RecentAsync(100, cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        AccountValidation.Email(Email, errors);
        AccountValidation.Name(Name, errors);
        AccountValidation.Password(Password, errors);
        if (errors.Any)
        {
            AddErrors(errors, t);
        }
        else if (await administration.CreateUserAsync(Email!, Name!, Role ?? "", Password!, cancellationToken) is { Succeeded: false } failed)
        {
            ModelState.AddModelError("", t[failed.Error ?? "The account could not be created."]);
        }
        else
        {
            Created = Email;
            ModelState.Clear();
            (Email, Name, Password) = (null, null, null);
        }
        Accounts = await accounts.RecentAsync(100, cancellationToken);
        return Page();
    }
}
