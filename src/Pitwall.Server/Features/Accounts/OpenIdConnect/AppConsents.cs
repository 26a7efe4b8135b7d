using System.Text.Json;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>An owner's consent to a third-party app: which cars, each with which scopes.</summary>
public sealed record AppConsent(string Id, string ClientId, string AppName, DateTimeOffset? GivenAt, IReadOnlyDictionary<string, IReadOnlyList<string>> Vehicles);

/// <summary>
/// Owners' consents to third-party apps (issue 20), per car and per scope. A consent is an OpenIddict permanent authorization of
/// the account for the app, with the cars and their scopes in its properties; the app's tokens belong to it, so withdrawing
/// the last car of a consent ends the app's tokens at once, and withdrawing one car ends that car for the app at once (its
/// tokens read the consent on every use). One consent per account and app: a new one replaces the old.
/// </summary>
public sealed class AppConsents(IServiceScopeFactory scopes, Data.Database database, TimeProvider time)
{
    internal const string VehiclesProperty = "pitwall_vehicles";

    /// <summary>Where the consent screen sends the owner's decision: the authorization request again, with
    /// <see cref="DecisionParameter"/> set to the consent's id or <see cref="Denied"/>.</summary>
    public const string AuthorizePath = OidcSetup.AuthorizePath;

    public const string DecisionParameter = "pitwall_consent";

    public const string Denied = "denied";

    /// <summary>The name of a third-party app (a client that needs the owner's consent); null for any other client.</summary>
    public async Task<string?> AppNameAsync(string clientId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var applications = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        return await applications.FindByClientIdAsync(clientId, cancellationToken) is { } application
               && await applications.HasConsentTypeAsync(application, ConsentTypes.Explicit, cancellationToken)
            ? await applications.GetDisplayNameAsync(application, cancellationToken) ?? clientId
            : null;
    }

    /// <summary>Records the owner's consent (replacing an earlier one for the same app) and returns its id.</summary>
    /// <param name="protocolScopes">What else the app asked for and gets with the consent (<c>openid</c>, <c>offline_access</c>).</param>
    public async Task<string> GiveAsync(string accountId, string clientId, IReadOnlyDictionary<string, IReadOnlyList<string>> vehicles,
        IEnumerable<string> protocolScopes, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (applications, authorizations, tokens) = Managers(scope);
        var application = await applications.FindByClientIdAsync(clientId, cancellationToken)
            ?? throw new InvalidOperationException("The consent page checked the app.");
        var applicationId = (await applications.GetIdAsync(application, cancellationToken))!;
        foreach (var earlier in await ValidAsync(authorizations, accountId, applicationId, cancellationToken))
        {
            await EndAsync(authorizations, tokens, earlier, cancellationToken);
        }
        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = applicationId, Subject = accountId, Status = Statuses.Valid, Type = AuthorizationTypes.Permanent,
            CreationDate = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow(),
        };
        Describe(descriptor, vehicles, protocolScopes);
        var created = await authorizations.CreateAsync(descriptor, cancellationToken);
        await LogAsync(SecurityLog.ConsentGiven, accountId, cancellationToken);
        return (await authorizations.GetIdAsync(created, cancellationToken))!;
    }

    /// <summary>The account's valid consents to apps, newest first.</summary>
    public async Task<List<AppConsent>> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (applications, authorizations, _) = Managers(scope);
        var list = new List<AppConsent>();
        foreach (var authorization in await ValidAsync(authorizations, accountId, null, cancellationToken))
        {
            var applicationId = await authorizations.GetApplicationIdAsync(authorization, cancellationToken);
            if (applicationId is not null && await applications.FindByIdAsync(applicationId, cancellationToken) is { } application)
            {
                list.Add(new AppConsent((await authorizations.GetIdAsync(authorization, cancellationToken))!,
                    (await applications.GetClientIdAsync(application, cancellationToken))!,
                    await applications.GetDisplayNameAsync(application, cancellationToken) ?? "",
                    await authorizations.GetCreationDateAsync(authorization, cancellationToken),
                    VehiclesOf(await authorizations.GetPropertiesAsync(authorization, cancellationToken))));
            }
        }
        return [.. list.OrderByDescending(c => c.GivenAt)];
    }

    /// <summary>The account's valid consent to the app: the one just given (<paramref name="consentId"/>), else the current one.</summary>
    public async Task<AppConsent?> FindAsync(string accountId, string clientId, string? consentId, CancellationToken cancellationToken) =>
        (await ListAsync(accountId, cancellationToken)).FirstOrDefault(c => c.ClientId == clientId && (consentId is null || c.Id == consentId));

    /// <summary>The cars and scopes of a consent, for a token of it; null when the consent is gone or withdrawn.</summary>
    internal async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>?> VehiclesOfAsync(string consentId, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (_, authorizations, _) = Managers(scope);
        return await authorizations.FindByIdAsync(consentId, cancellationToken) is { } authorization
               && await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken)
            ? VehiclesOf(await authorizations.GetPropertiesAsync(authorization, cancellationToken))
            : null;
    }

    /// <summary>Withdraws one car (or, with <paramref name="vin"/> null, every car) of the account's consent; the app loses that car
    /// at once, and when no car is left its tokens end. False when the account has no such consent.</summary>
    public async Task<bool> WithdrawAsync(string accountId, string consentId, string? vin, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var (_, authorizations, tokens) = Managers(scope);
        if (await authorizations.FindByIdAsync(consentId, cancellationToken) is not { } authorization
            || await authorizations.GetSubjectAsync(authorization, cancellationToken) != accountId
            || !await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken))
        {
            return false;
        }
        var vehicles = VehiclesOf(await authorizations.GetPropertiesAsync(authorization, cancellationToken)).Where(v => vin is not null && v.Key != vin)
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        await LogAsync(SecurityLog.ConsentWithdrawn, accountId, cancellationToken);
        if (vehicles.Count == 0)
        {
            await EndAsync(authorizations, tokens, authorization, cancellationToken);
            return true;
        }
        var descriptor = new OpenIddictAuthorizationDescriptor();
        await authorizations.PopulateAsync(descriptor, authorization, cancellationToken);
        Describe(descriptor, vehicles, descriptor.Scopes.Where(s => !Hosting.Auth.Scopes.ThirdParty.Contains(s)).ToList());
        await authorizations.UpdateAsync(authorization, descriptor, cancellationToken);
        return true;
    }

    /// <summary>Consents given and withdrawn go to the security log, like every other change of who may do what with the account.</summary>
    private Task LogAsync(string @event, string accountId, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => SecurityLog.WriteAsync(c, t, @event, accountId, time.GetUtcNow()), cancellationToken);

    private static void Describe(OpenIddictAuthorizationDescriptor descriptor, IReadOnlyDictionary<string, IReadOnlyList<string>> vehicles,
        IEnumerable<string> protocolScopes)
    {
        descriptor.Scopes.Clear();
        descriptor.Scopes.UnionWith([.. protocolScopes, .. vehicles.Values.SelectMany(s => s)]);
        descriptor.Properties[VehiclesProperty] = JsonSerializer.SerializeToElement(vehicles);
    }

    private static Dictionary<string, IReadOnlyList<string>> VehiclesOf(IReadOnlyDictionary<string, JsonElement> properties) =>
        properties.TryGetValue(VehiclesProperty, out var value)
            ? value.Deserialize<Dictionary<string, List<string>>>()!.ToDictionary(v => v.Key, v => (IReadOnlyList<string>)v.Value, StringComparer.Ordinal)
            : [];

    private static async Task<List<object>> ValidAsync(IOpenIddictAuthorizationManager authorizations, string accountId, string? applicationId,
        CancellationToken cancellationToken)
    {
        var found = new List<object>();
        var all = applicationId is null
            ? authorizations.FindBySubjectAsync(accountId, cancellationToken)
            : authorizations.FindAsync(accountId, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, null, cancellationToken);
        await foreach (var authorization in all)
        {
            if (await authorizations.HasStatusAsync(authorization, Statuses.Valid, cancellationToken)
                && await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, cancellationToken))
            {
                found.Add(authorization);
            }
        }
        return found;
    }

    private static async Task EndAsync(IOpenIddictAuthorizationManager authorizations, IOpenIddictTokenManager tokens, object authorization,
        CancellationToken cancellationToken)
    {
        await authorizations.TryRevokeAsync(authorization, cancellationToken);
        await foreach (var token in tokens.FindByAuthorizationIdAsync((await authorizations.GetIdAsync(authorization, cancellationToken))!, cancellationToken))
        {
            await tokens.TryRevokeAsync(token, cancellationToken);
        }
    }

    private static (IOpenIddictApplicationManager, IOpenIddictAuthorizationManager, IOpenIddictTokenManager) Managers(AsyncServiceScope scope) =>
        (scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>(), scope.ServiceProvider.GetRequiredService<IOpenIddictAuthorizationManager>(),
         scope.ServiceProvider.GetRequiredService<IOpenIddictTokenManager>());
}
