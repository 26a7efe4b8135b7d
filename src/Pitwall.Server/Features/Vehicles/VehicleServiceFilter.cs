using Pitwall.Server.Features.UsageStatistics;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>The vehicle an API request passed the gate for (one per request, filled by <see cref="VehicleServiceFilter"/>):
/// handlers read the normalised VIN, the caller's role and since when the caller has had the car from here.</summary>
public sealed class CurrentVehicle
{
    private VehicleGrant? _grant;

    public VehicleGrant Grant
    {
        get => _grant ?? throw new InvalidOperationException("The route declares no vehicle service (RequireVehicleService / RequireVehicleAccess).");
        internal set => _grant = value;
    }

    public string Vin => Grant.Vin;

    public VehicleRole Role => Grant.Role;

    public DateTimeOffset Since => Grant.Since;
}

/// <summary>
/// Puts <see cref="VehicleServiceGate"/> in front of a <c>/api/v1/vehicles/{vin}/…</c> endpoint: the route declares the service
/// and the kind of use (<c>.RequireVehicleService(ServiceIds.CarControl, ServiceUse.Read)</c>), the handler gets a
/// <see cref="CurrentVehicle"/> and writes no check of its own. Uses through the API count as the app's (C8).
/// </summary>
public static class VehicleServiceFilter
{
    /// <summary>A use of <paramref name="service"/> of the kind <paramref name="use"/>.</summary>
    public static TBuilder RequireVehicleService<TBuilder>(this TBuilder builder, string service, ServiceUse use) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireVehicleService(_ => (service, use));

    /// <summary>A use whose service and kind follow from the request (a command's type); a null service checks access and role only
    /// and leaves the rest to the handler's validation.</summary>
    public static TBuilder RequireVehicleService<TBuilder>(this TBuilder builder, Func<EndpointFilterInvocationContext, (string? Service, ServiceUse Use)> of)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var (service, use) = of(context);
            var consent = http.User.ConsentedVehiclesOf() is { } vehicles
                ? (vehicles, http.GetEndpoint()?.Metadata.GetMetadata<AppScopeMetadata>()?.Scope ?? AppScopes.For(service, use))
                : ((IReadOnlyDictionary<string, IReadOnlySet<string>>, string?)?)null;
            var (grant, refusal) = await http.RequestServices.GetRequiredService<VehicleServiceGate>().EnterAsync(
                http.User.AccountIdOf(), http.Request.RouteValues["vin"]?.ToString() ?? "", service, use, UsageChannel.App, http.RequestAborted, consent);
            if (refusal is not null)
            {
                return ApiProblems.Problem(refusal);
            }
            http.RequestServices.GetRequiredService<CurrentVehicle>().Grant = grant!;
            return await next(context);
        });
        // A third-party app's token passes the route's vehicle scope; the gate decides by the owner's consent.
        builder.WithMetadata(VehicleConsentGate.Instance);
        // The gate's answers, documented for every operation behind it.
        foreach (var status in (int[])[StatusCodes.Status404NotFound, StatusCodes.Status403Forbidden, StatusCodes.Status409Conflict])
        {
            builder.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), ["application/problem+json"]));
        }
        return builder;
    }

    /// <summary>Opens a route of the vehicle itself (no service) to third-party apps whose owner granted <paramref name="scope"/> for
    /// the car; service routes follow <see cref="AppScopes"/>.</summary>
    public static TBuilder OpenToApps<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AppScopeMetadata(scope));

    /// <summary>What belongs to the vehicle rather than to one of its services (its users, its packages, its command history):
    /// access, and the primary user's role where <paramref name="primaryUserOnly"/>.</summary>
    public static TBuilder RequireVehicleAccess<TBuilder>(this TBuilder builder, bool primaryUserOnly = false) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireVehicleService(_ => (null, primaryUserOnly ? ServiceUse.PrimaryOnly : ServiceUse.Read));
}
