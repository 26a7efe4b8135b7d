using System.Security.Cryptography;
using OpenIddict.Abstractions;
using Pitwall.Server.Hosting;
using static OpenIddict.Abstractions.OpenIddictConstants;
using Scopes = Pitwall.Server.Hosting.Auth.Scopes;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>The kinds of client an operator registers.</summary>
public static class ClientKinds
{
    /// <summary>The carmaker's own apps: authorization code with PKCE, no consent screen (the user signs in to the carmaker).</summary>
    public const string FirstParty = "first_party";

    /// <summary>Someone else's app acting for an owner: authorization code with PKCE, and the owner's consent per car and scope.</summary>
    public const string ThirdParty = "third_party";

    /// <summary>A partner's back end acting for itself (dealer group, charging partner, fleet manager): client_credentials.</summary>
    public const string Partner = "partner";

    public static IReadOnlyList<string> All { get; } = [FirstParty, ThirdParty, Partner];
}

public sealed record ClientRequest(string? Kind, string? Name, IReadOnlyList<string>? RedirectUris, IReadOnlyList<string>? Scopes);

/// <summary>A registered client as administrators see it; <paramref name="ClientSecret"/> only in the answer that made it.</summary>
public sealed record ClientResponse(string ClientId, string Kind, string Name, IReadOnlyList<string> RedirectUris, IReadOnlyList<string> Scopes,
    string? ClientSecret);

/// <summary>
/// The client registry: first-party, third-party and partner clients with their redirect URIs and allowed scopes. Secrets are
/// random, shown once, and kept only as OpenIddict's hash of them (PBKDF2); rotating one ends the old one at once.
/// </summary>
public sealed class ClientRegistry(IServiceScopeFactory scopes)
{
    private const string KindProperty = "pitwall_kind";

    public static ValidationErrors Validate(ClientRequest request)
    {
        var errors = new ValidationErrors();
        if (request.Kind is null || !ClientKinds.All.Contains(request.Kind))
        {
            errors.Add("kind", "Choose the kind of client: first_party, third_party or partner.");
        }
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Trim().Length > 100)
        {
            errors.Add("name", "Give the client's name (1 to 100 characters).");
        }
        var uris = request.RedirectUris ?? [];
        if (request.Kind is ClientKinds.FirstParty or ClientKinds.ThirdParty && uris.Count == 0)
        {
            errors.Add("redirectUris", "An app needs at least one redirect URI.");
        }
        if (request.Kind is ClientKinds.Partner && uris.Count > 0)
        {
            errors.Add("redirectUris", "A partner back end signs nobody in: no redirect URIs.");
        }
        if (uris.Any(u => !Uri.TryCreate(u, UriKind.Absolute, out var uri) || uri.Fragment.Length > 0
                          || (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)))
        {
            errors.Add("redirectUris", "Absolute URIs without a fragment; plain http only on the loopback address (RFC 8252).");
        }
        if ((request.Scopes ?? []).Count == 0 || request.Scopes!.Any(s => !ScopesFor(request.Kind).Contains(s)))
        {
            errors.Add("scopes", "Choose at least one scope, and only scopes Pitwall knows.");
        }
        return errors;
    }

    /// <summary>The scopes a client of this kind may be allowed: a third-party app only the scopes an owner grants per car on the
    /// consent screen, other clients the platform's scopes.</summary>
    public static IReadOnlyList<string> ScopesFor(string? kind) => kind == ClientKinds.ThirdParty ? Scopes.ThirdParty : Scopes.All;

    /// <summary>Registers a validated request; the answer carries the secret of a confidential client, once.</summary>
    public async Task<ClientResponse> CreateAsync(ClientRequest request, CancellationToken cancellationToken)
    {
        var kind = request.Kind!;
        var secret = kind == ClientKinds.Partner ? NewSecret() : null;
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = $"{kind.Replace('_', '-')}-{RandomNumberGenerator.GetHexString(12, lowercase: true)}",
            ClientSecret = secret,
            ClientType = secret is null ? ClientTypes.Public : ClientTypes.Confidential,
            ConsentType = kind == ClientKinds.ThirdParty ? ConsentTypes.Explicit : ConsentTypes.Implicit,
            DisplayName = request.Name!.Trim(),
        };
        descriptor.Properties[KindProperty] = System.Text.Json.JsonSerializer.SerializeToElement(kind);
        foreach (var uri in request.RedirectUris ?? [])
        {
            descriptor.RedirectUris.Add(new Uri(uri));
        }
        descriptor.Permissions.UnionWith(kind == ClientKinds.Partner
            ? [Permissions.Endpoints.Token, Permissions.Endpoints.Introspection, Permissions.Endpoints.Revocation, Permissions.GrantTypes.ClientCredentials]
            : [Permissions.Endpoints.Authorization, Permissions.Endpoints.Token, Permissions.Endpoints.Revocation,
               Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code]);
        descriptor.Permissions.UnionWith(request.Scopes!.Distinct().Select(s => Permissions.Prefixes.Scope + s));
        if (kind != ClientKinds.Partner)
        {
            descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        }
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        await manager.CreateAsync(descriptor, cancellationToken);
        return await DescribeAsync(manager, (await manager.FindByClientIdAsync(descriptor.ClientId, cancellationToken))!, secret, cancellationToken);
    }

    public async Task<List<ClientResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var list = new List<ClientResponse>();
        await foreach (var application in manager.ListAsync(null, null, cancellationToken))
        {
            list.Add(await DescribeAsync(manager, application, null, cancellationToken));
        }
        return list;
    }

    private static readonly Refusal UnknownClient = Refusal.NotFound("No client with this id.");

    private static readonly Refusal NoSecret = Refusal.Conflict(AccountErrorCodes.ClientHasNoSecret,
        "This client is an app (a public client): it has no secret to rotate.");

    private static readonly Refusal BuiltIn = Refusal.Conflict(AccountErrorCodes.ClientBuiltIn,
        "The first-party app is registered by Pitwall itself and cannot be removed.");

    /// <summary>A new secret for a partner client (the old one stops working at once).</summary>
    public async Task<(ClientResponse? Client, Refusal? Refusal)> RotateSecretAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return (null, UnknownClient);
        }
        if (!await manager.HasClientTypeAsync(application, ClientTypes.Confidential, cancellationToken))
        {
            return (null, NoSecret);
        }
        var secret = NewSecret();
        await manager.UpdateAsync(application, secret, cancellationToken);
        return (await DescribeAsync(manager, application, secret, cancellationToken), null);
    }

    /// <summary>The first-party app, registered at start-up: it cannot be removed.</summary>
    public static bool IsBuiltIn(string clientId) => clientId == OidcOptions.FirstPartyClientId;

    /// <summary>Removes a client with its grants and tokens (they stop working at once).</summary>
    public async Task<Refusal?> DeleteAsync(string clientId, CancellationToken cancellationToken)
    {
        if (IsBuiltIn(clientId))
        {
            return BuiltIn;
        }
        await using var scope = scopes.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        if (await manager.FindByClientIdAsync(clientId, cancellationToken) is not { } application)
        {
            return UnknownClient;
        }
        await manager.DeleteAsync(application, cancellationToken);
        return null;
    }

    private static async Task<ClientResponse> DescribeAsync(IOpenIddictApplicationManager manager, object application, string? secret,
        CancellationToken cancellationToken)
    {
        var properties = await manager.GetPropertiesAsync(application, cancellationToken);
        var kind = properties.TryGetValue(KindProperty, out var value) ? value.GetString()! : ClientKinds.FirstParty;
        var permissions = await manager.GetPermissionsAsync(application, cancellationToken);
        return new ClientResponse(
            (await manager.GetClientIdAsync(application, cancellationToken))!, kind, await manager.GetDisplayNameAsync(application, cancellationToken) ?? "",
            [.. (await manager.GetRedirectUrisAsync(application, cancellationToken)).Order(StringComparer.Ordinal)],
            [.. permissions.Where(p => p.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal)).Select(p => p[Permissions.Prefixes.Scope.Length..]).Order(StringComparer.Ordinal)],
            secret);
    }

    private static string NewSecret() => "pws_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
