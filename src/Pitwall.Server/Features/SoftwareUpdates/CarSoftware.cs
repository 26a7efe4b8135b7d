using Microsoft.AspNetCore.Http.HttpResults;
using Pitwall.Protocol;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Hosting.Auth;

namespace Pitwall.Server.Features.SoftwareUpdates;

/// <summary>A release as the car's users see it.</summary>
internal sealed record ReleaseView(string Name, string Version, string UpdateKind);

/// <param name="Type">soft (optional for the driver) or forced.</param>
internal sealed record UpdateView(long ActionId, ReleaseView Release, string Type, string Status, DateTimeOffset AssignedAt, DateTimeOffset UpdatedAt);

/// <summary>One updatable part of the car (its controller id), what it runs and its updates, newest first.</summary>
internal sealed record CarTargetView(
    string ControllerId, ReleaseView? Installed, DateTimeOffset? InstalledAt, DateTimeOffset? LastPollAt, UpdateView? Open, IReadOnlyList<UpdateView> History);

internal sealed record CarSoftwareResponse(string Vin, IReadOnlyList<CarTargetView> Targets);

/// <summary><c>GET /api/v1/vehicles/{vin}/software</c>: the car's software, update and version state as Pitwall documents it (F3),
/// for the car's users, through the vehicle-service gate.</summary>
internal static class CarSoftwareEndpoints
{
    public static void MapCarSoftwareEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGroup("/api/v1/vehicles/{vin}/software").WithTags("Software updates").RequireAuthorization(Scopes.ReadVehicle)
            .RequireVehicleService(ServiceIds.SoftwareUpdate, ServiceUse.Read)
            .MapGet("", Software)
            .WithSummary("The car's software: per updatable part, the installed release, the open update and the past ones with their states.");

    private static async Task<Ok<CarSoftwareResponse>> Software(
        CurrentVehicle car, TargetStore targets, ActionStore actions, CatalogueStore catalogue, CancellationToken cancellationToken)
    {
        var releases = (await catalogue.SetsAsync(cancellationToken)).ToDictionary(s => s.Id, s => new ReleaseView(s.Name, s.Version, s.UpdateKind));
        var views = new List<CarTargetView>();
        foreach (var target in await targets.OfCarAsync(car.Vin, cancellationToken))
        {
            // What the car did before the caller had it is not the caller's to see.
            var updates = (await actions.OfTargetAsync(target.ControllerId, cancellationToken)).Where(a => a.CreatedAt >= car.Since)
                .Select(a => new UpdateView(a.Id, releases[a.SetId], a.Type, a.Status, a.CreatedAt, a.UpdatedAt)).ToList();
            views.Add(new CarTargetView(target.ControllerId, target.InstalledSetId is { } installed ? releases[installed] : null, target.InstalledAt,
                target.LastPollAt, updates.FirstOrDefault(u => !Feedback.IsFinal(u.Status)), [.. updates.Where(u => Feedback.IsFinal(u.Status)).Take(20)]));
        }
        return TypedResults.Ok(new CarSoftwareResponse(car.Vin, views));
    }
}
