using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Accounts.OpenIdConnect;

/// <summary>One car of a consent: its VIN and what the app may do with it.</summary>
internal sealed record AppConsentVehicle(string Vin, IReadOnlyList<string> Scopes);

/// <param name="ClientId">The app's client id; <c>App</c> its name as the owner saw it on the consent screen.</param>
internal sealed record AppConsentResponse(string Id, string ClientId, string App, DateTimeOffset? GivenAt, IReadOnlyList<AppConsentVehicle> Vehicles)
{
    public static AppConsentResponse From(AppConsent consent) => new(consent.Id, consent.ClientId, consent.AppName, consent.GivenAt,
        [.. consent.Vehicles.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => new AppConsentVehicle(v.Key, v.Value))]);
}

/// <summary>
/// The owner's consents to third-party apps through the API (<c>/api/v1/me/app-consents</c>, as the portal's Connected apps page
/// shows them), and the app's own view of its grant (<c>/api/v1/app/vehicles</c>, with its token): the cars it may reach and the
/// scopes for each.
/// </summary>
internal static class AppConsentEndpoints
{
    public static void MapAppConsentEndpoints(this IEndpointRouteBuilder routes)
    {
        var me = routes.MapGroup("/api/v1/me/app-consents").WithTags("Third-party apps");
        me.MapGet("", List).RequireAuthorization(Scopes.ReadAccount)
            .WithSummary("The third-party apps the owner let use their cars: per app, the cars and the scopes for each.");
        me.MapDelete("/{id}", Withdraw).RequireAuthorization(Scopes.ControlAccount)
            .WithSummary("Withdraw a consent (with ?vin=…, one car of it): the app loses that access at once, and its tokens end with the last car.");
        routes.MapGet("/api/v1/app/vehicles", Granted).WithTags("Third-party apps").RequireAuthorization(PitwallClaims.ThirdPartyAppPolicy)
            .WithSummary("For a third-party app's token: the cars the owner's consent lets it reach, each with its scopes.");
    }

    private static async Task<Ok<IReadOnlyList<AppConsentResponse>>> List(ClaimsPrincipal user, AppConsents consents, CancellationToken cancellationToken) =>
        TypedResults.Ok<IReadOnlyList<AppConsentResponse>>([.. (await consents.ListAsync(user.AccountIdOf(), cancellationToken)).Select(AppConsentResponse.From)]);

    private static async Task<Results<NoContent, ProblemHttpResult>> Withdraw(
        string id, ClaimsPrincipal user, AppConsents consents, CancellationToken cancellationToken, string? vin = null) =>
        await consents.WithdrawAsync(user.AccountIdOf(), id, vin, cancellationToken) ? TypedResults.NoContent() : ApiProblems.NotFound("The consent");

    private static Ok<IReadOnlyList<AppConsentVehicle>> Granted(ClaimsPrincipal user) =>
        TypedResults.Ok<IReadOnlyList<AppConsentVehicle>>([.. (user.ConsentedVehiclesOf() ?? new Dictionary<string, IReadOnlySet<string>>())
            .Where(v => v.Value.Count > 0).OrderBy(v => v.Key, StringComparer.Ordinal)
            .Select(v => new AppConsentVehicle(v.Key, [.. v.Value.Order(StringComparer.Ordinal)]))]);
}
