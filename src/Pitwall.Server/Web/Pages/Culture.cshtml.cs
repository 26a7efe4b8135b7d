using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Pitwall.Server.Web.Pages;

/// <summary>Switches the portal's language (a cookie for a year) and goes back to the page.</summary>
internal sealed class CultureModel : PageModel
{
    public IActionResult OnGet() => Redirect("/");

    public IActionResult OnPost(string? culture, string? returnUrl)
    {
        SetCulture(Response, culture);
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/");
    }

    /// <summary>Also used at sign-in, with the account's language.</summary>
    public static void SetCulture(HttpResponse response, string? culture)
    {
        var language = culture?.Split('-')[0].ToLowerInvariant();
        if (language is null || !WebModule.Cultures.Contains(language))
        {
            return;
        }
        response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(language)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true });
    }
}
