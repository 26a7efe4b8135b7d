using Microsoft.AspNetCore.Authentication;

namespace Pitwall.Server.Hosting.Auth;

internal static class AuthSetup
{
    public static IServiceCollection AddPitwallAuth(this IServiceCollection services)
    {
        services.AddAuthentication(BearerTokenHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder();
        // One policy per scope, named after it: endpoints say .RequireAuthorization(Scopes.ReadAccount).
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(BearerTokenHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(PitwallClaims.Scope, scope));
        }
        return services;
    }
}
