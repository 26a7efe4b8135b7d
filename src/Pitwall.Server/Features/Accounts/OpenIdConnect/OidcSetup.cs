using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;
using OpenIddict.Abstractions;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>
/// The OpenID Connect provider (issue 20) on OpenIddict: discovery, JWKS, authorization code with PKCE (mandatory),
/// refresh-token rotation (a reused refresh token revokes its family), client_credentials, revocation (RFC 7009) and
/// introspection (RFC 7662). Its stores are Pitwall's own (Dapper on SQLite or PostgreSQL, like every store here).
/// Access and refresh tokens are reference tokens: opaque to clients, looked up on every use, so a revocation ends them at once.
/// </summary>
internal static class OidcSetup
{
    public const string AuthorizePath = "/connect/authorize";
    public const string TokenPath = "/connect/token";
    public const string RevokePath = "/connect/revoke";
    public const string IntrospectPath = "/connect/introspect";

    public static void AddOpenIdConnectProvider(this IServiceCollection services)
    {
        // OpenIddict checks client secrets, codes and tokens (token, revocation, introspection) in the authentication step, before
        // any endpoint's rate limit: the sign-in limit applies to every provider endpoint before that work.
        services.Configure<RateLimits.EarlyPaths>(paths => paths.Prefixes.Add("/connect"));
        services.AddOptions<OidcOptions>().BindConfiguration(OidcOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>, OidcServerKeys>();
        services.AddHostedService<FirstPartyClientSeeder>();
        services.AddOpenIddict()
            .AddCore(core => core
                .SetDefaultApplicationEntity<OidcApplication>()
                .SetDefaultAuthorizationEntity<OidcAuthorization>()
                .SetDefaultScopeEntity<OidcScope>()
                .SetDefaultTokenEntity<OidcToken>()
                .ReplaceApplicationStore<OidcApplication, OidcApplicationStore>(ServiceLifetime.Singleton)
                .ReplaceAuthorizationStore<OidcAuthorization, OidcAuthorizationStore>(ServiceLifetime.Singleton)
                .ReplaceScopeStore<OidcScope, OidcScopeStore>(ServiceLifetime.Singleton)
                .ReplaceTokenStore<OidcToken, OidcTokenStore>(ServiceLifetime.Singleton)
                // Several instances share the database: what one revokes, the others must see at once.
                .DisableEntityCaching())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'))
                    .SetTokenEndpointUris(TokenPath.TrimStart('/'))
                    .SetRevocationEndpointUris(RevokePath.TrimStart('/'))
                    .SetIntrospectionEndpointUris(IntrospectPath.TrimStart('/'));
                server.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange()
                    .AllowRefreshTokenFlow()
                    .AllowClientCredentialsFlow();
                // S256 only: "plain" would show the verifier to whoever sees the authorization request (RFC 9700 §2.1.1).
                server.Configure(o => o.CodeChallengeMethods.Remove(OpenIddictConstants.CodeChallengeMethods.Plain));
                server.RegisterScopes([OpenIddictConstants.Scopes.OpenId, OpenIddictConstants.Scopes.OfflineAccess, .. Scopes.All, .. Scopes.ThirdParty]);
                server.UseReferenceAccessTokens().UseReferenceRefreshTokens();
                // A redeemed refresh token that comes back was stolen or replayed: no grace period, its family is revoked.
                server.SetRefreshTokenReuseLeeway(null);
                // TLS ends at the load balancer in front of Pitwall (operator guide); the server itself speaks HTTP.
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .DisableTransportSecurityRequirement();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.EnableTokenEntryValidation();
                validation.EnableAuthorizationEntryValidation();
            });
        services.AddHttpContextAccessor();
        services.Replace(ServiceDescriptor.Singleton<IAuthenticationSchemeProvider, ProviderRequestSchemes>());
        services.AddSingleton<OidcAccessTokenValidator>();
        services.AddSingleton<AppConsents>();
    }
}
