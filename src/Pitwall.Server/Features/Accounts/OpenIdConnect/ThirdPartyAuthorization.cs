using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using Pitwall.Server.Hosting.Auth;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = Pitwall.Server.Hosting.Auth.Scopes;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// <c>/connect/authorize</c> for a third-party app: the owner decides on the consent screen (the portal's
/// <see cref="ConsentPage"/>) which of their cars the app may use with which of the scopes it asked for. The screen comes back
/// here with <see cref="AppConsents.DecisionParameter"/> (the consent's id, or <c>denied</c>). An app that already has a consent covering
/// what it asks for gets a code without the screen, unless it asks with <c>prompt=consent</c>.
/// </summary>
internal static class ThirdPartyAuthorization
{
    public const string ConsentPage = "/account/consent";

    public static async Task<IResult> AuthorizeAsync(HttpContext context, OpenIddictRequest request, Account account, AppConsents consents,
        CancellationToken cancellationToken)
    {
        if (account.Role is not (Roles.Owner or Roles.Driver))
        {
            return ProviderEndpoints.Forbid(Errors.AccessDenied, "Only a car's owner can let an app use a car.");
        }
        var decision = context.Request.HasFormContentType ? context.Request.Form[AppConsents.DecisionParameter].ToString() : context.Request.Query[AppConsents.DecisionParameter].ToString();
        if (decision == AppConsents.Denied)
        {
            return ProviderEndpoints.Forbid(Errors.AccessDenied, "The owner did not let this app use a car.");
        }
        var asked = request.GetScopes().Where(Scopes.ThirdParty.Contains).ToHashSet(StringComparer.Ordinal);
        var consent = decision.Length > 0
            ? await consents.FindAsync(account.Id, request.ClientId!, decision, cancellationToken)
            : request.HasPromptValue(PromptValues.Consent) ? null : await consents.FindAsync(account.Id, request.ClientId!, null, cancellationToken);
        var given = consent?.Vehicles.Values.SelectMany(s => s).ToHashSet(StringComparer.Ordinal) ?? [];
        if (consent is null || (decision.Length == 0 && !asked.IsSubsetOf(given)))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return ProviderEndpoints.Forbid(Errors.ConsentRequired, "The owner has not yet decided on this app.");
            }
            return Results.Redirect(ConsentPage + ProviderEndpoints.RequestParameters(context, without: AppConsents.DecisionParameter));
        }
        var scopes = asked.Intersect(given).ToList();
        if (scopes.Count == 0)
        {
            return ProviderEndpoints.Forbid(Errors.AccessDenied, "The owner let this app use none of what it asked for.");
        }
        var identity = ProviderEndpoints.Identity(account.Id, account.Role,
            [.. scopes, .. request.GetScopes().Where(s => s is OpenIddictConstants.Scopes.OpenId or OpenIddictConstants.Scopes.OfflineAccess)], consented: true);
        identity.SetAuthorizationId(consent.Id);
        return Results.SignIn(new ClaimsPrincipal(identity), null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
