using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.CarSecurity;

/// <summary>The authority report of a case for the SOC (any case) and for an authority (only the cases handed to it); each download is audited.</summary>
public sealed class CaseReports(TheftCaseStore store, IVehicleDirectory vehicles, ICarSecurityContacts contacts, SocWorkflow workflow)
{
    /// <param name="authorityAccountId">Set for an authority: other cases read as not found.</param>
    public async Task<(TheftCase? Case, VehicleDescription? Vehicle)> FindAsync(string id, string? authorityAccountId, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(id, cancellationToken) is not { } k || (authorityAccountId is not null && k.AuthorityAccountId != authorityAccountId))
        {
            return (null, null);
        }
        return (k, Describe.Vehicle(await vehicles.FindAsync(k.Vin, cancellationToken), await contacts.ForVehicleAsync(k.Vin, cancellationToken)));
    }

    public Task<Results<FileContentHttpResult, ProblemHttpResult>> GpxAsync(string id, string? authorityAccountId, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        FileAsync(id, authorityAccountId, user, "gpx", "application/gpx+xml", TheftReports.Gpx, cancellationToken);

    public Task<Results<FileContentHttpResult, ProblemHttpResult>> GeoJsonAsync(string id, string? authorityAccountId, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        FileAsync(id, authorityAccountId, user, "geojson", "application/geo+json", TheftReports.GeoJson, cancellationToken);

    /// <summary>The printable summary in the request's language (<paramref name="t"/>, the portal's texts) and time zone.</summary>
    public async Task<Results<ContentHttpResult, ProblemHttpResult>> HtmlAsync(
        string id, string? authorityAccountId, ClaimsPrincipal user, IStringLocalizer t, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, authorityAccountId, user, "summary", cancellationToken) is not (var k, var vehicle, var track))
        {
            return ApiProblems.Problem(SocWorkflow.CaseNotFound);
        }
        return TypedResults.Content(PrintableReport.Html(k, vehicle, track, await store.AuditAsync(k.Id, cancellationToken), t), "text/html; charset=utf-8");
    }

    private async Task<Results<FileContentHttpResult, ProblemHttpResult>> FileAsync(
        string id, string? authorityAccountId, ClaimsPrincipal user, string extension, string contentType,
        Func<TheftCase, VehicleDescription?, IReadOnlyList<TrackingPoint>, byte[]> write, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, authorityAccountId, user, extension, cancellationToken) is not (var k, var vehicle, var track))
        {
            return ApiProblems.Problem(SocWorkflow.CaseNotFound);
        }
        return TypedResults.File(write(k, vehicle, track), contentType, $"theft-case-{k.Id}.{extension}");
    }

    /// <summary>The case, its car and its whole track for a report; the download is audited (<paramref name="what"/>).</summary>
    /// <returns>Null when the case is not found (or not the authority's).</returns>
    private async Task<(TheftCase Case, VehicleDescription? Vehicle, IReadOnlyList<TrackingPoint> Track)?> ReadAsync(
        string id, string? authorityAccountId, ClaimsPrincipal user, string what, CancellationToken cancellationToken)
    {
        var (k, vehicle) = await FindAsync(id, authorityAccountId, cancellationToken);
        if (k is null)
        {
            return null;
        }
        var track = await store.TrackAsync(k.Id, 0, 100_000, cancellationToken);
        await workflow.AuditReadAsync(k.Id, ActorOf(user), what, cancellationToken);
        return (k, vehicle, track);
    }

    private static Actor ActorOf(ClaimsPrincipal user) => new(user.AccountIdOf(), user.FindFirstValue(PitwallClaims.Role) ?? "unknown");
}
