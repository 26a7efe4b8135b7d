using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>Registers the first-party app at start-up (a public client: authorization code with PKCE, refresh tokens, every
/// scope an account's role allows, no consent screen) and keeps its redirect URIs as configured.</summary>
internal sealed class FirstPartyClientSeeder(IServiceScopeFactory scopes, IOptions<OidcOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = OidcOptions.FirstPartyClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            ConsentType = ConsentTypes.Implicit,
            DisplayName = "Pitwall app",
        };
        var uris = options.Value.FirstPartyRedirectUris is { Count: > 0 } configured ? configured : [OidcOptions.DefaultFirstPartyRedirectUri];
        foreach (var uri in uris)
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code,
            .. Hosting.Auth.Scopes.All.Select(s => Permissions.Prefixes.Scope + s),
        ]);
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        // Instances of a cluster that start together race here (issue 19): whoever loses the create (duplicate client id)
        // or the update (concurrency token) reads the client again and updates it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await manager.FindByClientIdAsync(OidcOptions.FirstPartyClientId, cancellationToken) is { } existing)
                {
                    await manager.UpdateAsync(existing, descriptor, cancellationToken);
                }
                else
                {
                    await manager.CreateAsync(descriptor, cancellationToken);
                }
                return;
            }
            catch (Exception e) when (attempt < 5 && e is OpenIddictExceptions.ValidationException or OpenIddictExceptions.ConcurrencyException or System.Data.Common.DbException)
            {
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
