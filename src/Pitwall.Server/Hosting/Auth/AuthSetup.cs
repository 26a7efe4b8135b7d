using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

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
                .RequireAssertion(context => context.User.HasClaim(PitwallClaims.Scope, scope) || ConsentDecides(context, scope)));
        }
        authorization.AddPolicy(PitwallClaims.ThirdPartyAppPolicy, policy => policy
            .AddAuthenticationSchemes(BearerTokenHandler.SchemeName)
            .RequireClaim(PitwallClaims.Consented)
            .RequireClaim(PitwallClaims.ClientId));
        return services;
    }

    /// <summary>A third-party app's token has no vehicle scope of its own: on an endpoint behind the vehicle-service gate the
    /// owner's consent for that car decides (<see cref="VehicleConsentGate"/>); anywhere else it is refused.</summary>
    private static bool ConsentDecides(AuthorizationHandlerContext context, string scope) =>
        scope is Scopes.ReadVehicle or Scopes.ControlVehicle
        && context.User.HasClaim(c => c.Type == PitwallClaims.Consented)
        && context.Resource is HttpContext http && http.GetEndpoint()?.Metadata.GetMetadata<VehicleConsentGate>() is not null;
}
