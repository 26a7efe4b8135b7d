using Microsoft.Extensions.Localization;
using Pitwall.Server.Cluster;
using System.Security.Claims;
using Pitwall.Server.Features.CarSecurity;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Web;

/// <summary>
/// What the security centre's console and the authority's view need besides pages, signed in by the portal cookie (the
/// API's twins take bearer tokens): their live feeds (the same <see cref="SocFeed"/> as <c>/api/v1/soc/events</c>, an
/// authority hearing only its own cases) and the case reports (GPX, GeoJSON, printable summary) from the same
/// <see cref="CaseReports"/>, each download audited. An authority asking for another case's report gets 404.
/// </summary>
internal static class ConsoleEndpoints
{
    public static void MapConsoleEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/portal/events/soc", (HttpContext context, SocFeed feed, CancellationToken ct) =>
                new SseStream(SocEndpoints.StreamAsync(feed, null, SseStream.LastEventId(context), ct)))
            .RequireAuthorization(PortalAuth.SocPolicy).ExcludeFromDescription();
        routes.MapGet("/portal/events/assistance", (HttpContext context, Features.Breakdown.IAssistanceConsole console, CancellationToken ct) =>
                new SseStream(console.EventsAsync(SseStream.LastEventId(context), ct)))
            .RequireAuthorization(PortalAuth.AssistancePolicy).ExcludeFromDescription();
        routes.MapGet("/portal/events/authority", (HttpContext context, ClaimsPrincipal user, SocFeed feed, CancellationToken ct) =>
                new SseStream(SocEndpoints.StreamAsync(feed, user.AccountIdOf(), SseStream.LastEventId(context), ct)))
            .RequireAuthorization(PortalAuth.AuthorityPolicy).ExcludeFromDescription();

        var soc = routes.MapGroup("/soc/cases/{id}").RequireAuthorization(PortalAuth.SocPolicy).ExcludeFromDescription();
        soc.MapGet("/report.gpx", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) => reports.GpxAsync(id, null, user, ct));
        soc.MapGet("/report.geojson", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) => reports.GeoJsonAsync(id, null, user, ct));
        soc.MapGet("/report", (string id, ClaimsPrincipal user, CaseReports reports, IStringLocalizer<PortalText> t, CancellationToken ct) => reports.HtmlAsync(id, null, user, t, ct));

        var authority = routes.MapGroup("/authority/cases/{id}").RequireAuthorization(PortalAuth.AuthorityPolicy).ExcludeFromDescription();
        authority.MapGet("/report.gpx", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GpxAsync(id, user.AccountIdOf(), user, ct));
        authority.MapGet("/report.geojson", (string id, ClaimsPrincipal user, CaseReports reports, CancellationToken ct) =>
            reports.GeoJsonAsync(id, user.AccountIdOf(), user, ct));
        authority.MapGet("/report", (string id, ClaimsPrincipal user, CaseReports reports, IStringLocalizer<PortalText> t, CancellationToken ct) =>
            reports.HtmlAsync(id, user.AccountIdOf(), user, t, ct));
    }
}
