using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using OpenIddict.Server.AspNetCore;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// Offers OpenIddict's server its look at a request only where its endpoints are (<c>/connect</c>, <c>/.well-known</c>).
/// The authentication middleware hands every request to each request-handling scheme, and OpenIddict answers "not mine"
/// only after a dispatch through its handler chain: several percent of an API call's CPU in the commands benchmark.
/// </summary>
internal sealed class ProviderRequestSchemes(IOptions<AuthenticationOptions> options, IHttpContextAccessor http)
    : AuthenticationSchemeProvider(options)
{
    public override async Task<IEnumerable<AuthenticationScheme>> GetRequestHandlerSchemesAsync()
    {
        var schemes = await base.GetRequestHandlerSchemesAsync();
        var path = http.HttpContext?.Request.Path ?? PathString.Empty;
        return path.StartsWithSegments("/connect") || path.StartsWithSegments("/.well-known")
            ? schemes
            : schemes.Where(s => s.Name != OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
