using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pitwall.Server.Web.Pages;

/// <summary>The portal's page for error statuses (404 for a vehicle that is not yours as for one that does not exist).</summary>
[IgnoreAntiforgeryToken] // re-executed for a failed POST too, e.g. one whose anti-forgery token was missing
internal sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }

    public void OnGet(int code) => Code = code;

    public void OnPost(int code) => Code = code;
}
