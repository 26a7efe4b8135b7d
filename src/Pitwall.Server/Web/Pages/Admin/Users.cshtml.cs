using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Web.Pages.Admin;

/// <summary>Administrators create accounts of any role (as <c>pitwall admin create-user</c> does) and find accounts by a fragment of
/// their e-mail address or name, newest first, each opening its page (<see cref="AdminUserModel"/>).</summary>
internal sealed class AdminUsersModel(AccountAdministration administration, UserAdministration users, IStringLocalizer<PortalText> t) : PortalPage
{
    public UserPage Found { get; private set; } = new([], 1, UserAdministration.PageSize, 0);

    [BindProperty(SupportsGet = true)]
    public string? Q { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public string? Created { get; private set; }

    [BindProperty]
    public string? Email { get; set; }

    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Role { get; set; } = "owner";

    [BindProperty]
    public string? Password { get; set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) => Found = await users.SearchAsync(Q, PageNumber, cancellationToken);

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
        Found = await users.SearchAsync(Q, PageNumber, cancellationToken);
        return Page();
    }
}
