using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web;

/// <summary>What every signed-in page needs: the account, and problems from the shared services shown next to fields.</summary>
internal abstract class PortalPage : PageModel
{
    public string AccountId => User.AccountIdOf();

    /// <summary>Puts each field error of a service into the model state, under the form field's name: by default the API's
    /// field name with a capital first letter (<c>email</c> → <c>Email</c>).</summary>
    /// <param name="t">Translates the messages; without it they stay as the service wrote them (the English-only pages).</param>
    protected void AddErrors(ValidationErrors errors, IStringLocalizer? t = null, Func<string, string>? fieldOf = null)
    {
        foreach (var (field, message) in errors.Wordings())
        {
            var key = fieldOf?.Invoke(field) ?? (field.Length == 0 ? "" : char.ToUpperInvariant(field[0]) + field[1..]);
            ModelState.AddModelError(key, t is null ? message.English : message.Arguments.Length == 0 ? t[message.Text] : t[message.Text, message.Arguments]);
        }
    }

    /// <summary>The portal's one way to show a service's <see cref="Refusal"/>: its field errors next to the form's fields (see
    /// <see cref="AddErrors"/>), or else one sentence under <paramref name="key"/> (the page's top by default).</summary>
    protected void ShowRefusal(Refusal refusal, IStringLocalizer? t = null, Func<string, string>? fieldOf = null, string key = "")
    {
        if (refusal.Errors is { } errors)
        {
            AddErrors(errors, t, fieldOf);
            return;
        }
        ModelState.AddModelError(key, t is null ? refusal.Title
            : refusal.Wording is { } wording && Wording(refusal) == refusal.Title ? t[wording.Text, wording.Arguments]
            : t[Wording(refusal)]);
    }

    /// <summary>Phone numbers as people type them, one per line or comma-separated (<c>+49 (711) 123-456</c>), in the E.164
    /// form the services check (<c>+49711123456</c>); empty for an empty field.</summary>
    public static List<string> ParsePhoneNumbers(string? text) =>
        [.. (text ?? "").Split([',', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(n => string.Concat(n.Where(c => c is not (' ' or '-' or '/' or '(' or ')' or '.' or '\u00A0'))))];

    /// <summary>A refusal in the words the portal shows an owner: the gate's refusals in the portal's own words, the others by
    /// their title.</summary>
    public static string Wording(Refusal refusal) => refusal.Code switch
    {
        ErrorCodes.NotEntitled => "not included in this car's packages",
        ErrorCodes.ForbiddenForRole => "Only the car's primary user can do this.",
        _ => refusal.Title,
    };
}
