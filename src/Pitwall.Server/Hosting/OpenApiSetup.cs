using Microsoft.OpenApi;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Hosting;

internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";
    public const string BrowserPath = "api/docs";

    public static IServiceCollection AddPitwallOpenApi(this IServiceCollection services) =>
        services.AddOpenApi("v1", options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Pitwall API",
                Version = "v1",
                Description = "Connected-vehicle services. Errors are RFC 9457 problem details with a stable `code`; " +
                              "sign in with OpenID Connect (discovery at `/.well-known/openid-configuration`: authorization code with PKCE for apps, " +
                              "client_credentials for partner back ends) and send `Authorization: Bearer <access_token>`.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[BearerTokenHandler.SchemeName] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.OAuth2,
                Description = "OAuth 2.0 / OpenID Connect: authorization code with PKCE (S256) and client_credentials; " +
                              "scopes are read_<domain> and control_<domain>.",
                Flows = new OpenApiOAuthFlows
                {
                    AuthorizationCode = new OpenApiOAuthFlow
                    {
                        AuthorizationUrl = new Uri("/connect/authorize", UriKind.Relative),
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        RefreshUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = Scopes.All.ToDictionary(s => s, s => s.Replace('_', ' ')),
                    },
                    ClientCredentials = new OpenApiOAuthFlow
                    {
                        TokenUrl = new Uri("/connect/token", UriKind.Relative),
                        Scopes = Scopes.All.ToDictionary(s => s, s => s.Replace('_', ' ')),
                    },
                },
            };
            return Task.CompletedTask;
        }));
}
