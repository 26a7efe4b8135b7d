using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pitwall.Protocol;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Contracts;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using V1 = Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>
/// The location alarm's areas (D2) for the API and the portal alike: who may read and change them, the four-area limit,
/// and the car's copy — every change that matters to the car sends it the full set, in the same transaction as the change,
/// and an area reads as confirmed once the car has acked the frame that carried its current version.
/// </summary>
public sealed partial class GeofenceService(
    Database database, GeofenceStore store, IVehicleAccess access, IVehicleLink link, Privacy.IServiceAccess serviceAccess, IEntitlements entitlements,
    UsageStatistics.UsageStatistics usage, TimeProvider time, ILogger<GeofenceService> logger) : IVehicleAccessListener
{
    public static readonly Refusal GeofenceNotFound = new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The geofence was not found.");
    public static readonly Refusal NotEntitled = new(StatusCodes.Status403Forbidden, ErrorCodes.NotEntitled,
        $"The vehicle's packages do not cover the service {ServiceIds.LocationAlarm}.");
    public static readonly Refusal PrimaryOnly = new(StatusCodes.Status403Forbidden, ErrorCodes.ForbiddenForRole,
        "Only the vehicle's primary user may change its geofences.");
    public static readonly Refusal Limit = new(StatusCodes.Status409Conflict, ErrorCodes.GeofenceLimit,
        "A car has at most four geofences; delete one first.");

    /// <summary>The caller's areas of the car, with whether the car confirmed each.</summary>
    public async Task<(IReadOnlyList<GeofenceResponse>? Geofences, Refusal? Refusal)> ListAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await ReadRefusalAsync(accountId, vin, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        return (await ViewAsync(vin, await store.ListAsync(vin, cancellationToken), cancellationToken), null);
    }

    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> GetAsync(string accountId, string vin, string id, CancellationToken cancellationToken)
    {
        var (list, refusal) = await ListAsync(accountId, vin, cancellationToken);
        return refusal is not null ? (null, refusal) : list!.FirstOrDefault(g => g.Id == id) is { } found ? (found, null) : (null, GeofenceNotFound);
    }

    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> CreateAsync(
        string accountId, string vin, GeofenceRequest request, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await ChangeRefusalAsync(accountId, vin, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        var errors = new ValidationErrors();
        if (GeofenceRules.Validate(request, errors) is not { } draft)
        {
            return (null, Refusal.Invalid(errors));
        }
        var now = time.GetUtcNow();
        var created = await link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            await GeofenceStore.LockVehicleAsync(c, t, database.Dialect, vin);
            var areas = await GeofenceStore.ListAsync(c, t, vin);
            if (areas.Count >= GeofenceRules.MaxPerVehicle)
            {
                return null;
            }
            var geofence = new Geofence(Guid.CreateVersion7(now).ToString(), vin, draft.Name, draft.Latitude, draft.Longitude, draft.RadiusMetres,
                draft.Notify, draft.ActiveHours, now, now, 0);
            geofence = geofence with { SentSeq = await enqueue(Frame([.. areas, geofence], now), now + GeofenceRules.ConfigurationLifetime) };
            await GeofenceStore.InsertAsync(c, t, geofence);
            return geofence;
        }, CancellationToken.None); // once begun, finish: the area and its frame commit together
        if (created is null)
        {
            return (null, Limit);
        }
        usage.Record(ServiceIds.LocationAlarm, UsageStatistics.UsageChannel.App);
        return (GeofenceResponse.From(created, confirmed: false), null);
    }

    /// <summary>Replaces the area with what the request says (a PUT).</summary>
    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> ReplaceAsync(
        string accountId, string vin, string id, GeofenceRequest request, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await ChangeRefusalAsync(accountId, vin, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        return await ReplaceCheckedAsync(vin, id, _ => request, cancellationToken);
    }

    /// <summary>Changes the fields the patch names (a JSON merge patch, RFC 7396: null removes, e.g. <c>"activeHours": null</c>).</summary>
    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> PatchAsync(
        string accountId, string vin, string id, JsonObject patch, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await ChangeRefusalAsync(accountId, vin, cancellationToken) is { } refusal)
        {
            return (null, refusal);
        }
        return await ReplaceCheckedAsync(vin, id, current => Merge(current, patch), cancellationToken);
    }

    public async Task<Refusal?> DeleteAsync(string accountId, string vin, string id, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await ChangeRefusalAsync(accountId, vin, cancellationToken) is { } refusal)
        {
            return refusal;
        }
        var now = time.GetUtcNow();
        var deleted = await link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            await GeofenceStore.LockVehicleAsync(c, t, database.Dialect, vin);
            if (!await GeofenceStore.DeleteAsync(c, t, vin, id))
            {
                return false;
            }
            await enqueue(Frame(await GeofenceStore.ListAsync(c, t, vin), now), now + GeofenceRules.ConfigurationLifetime);
            return true;
        }, CancellationToken.None);
        if (!deleted)
        {
            return GeofenceNotFound;
        }
        usage.Record(ServiceIds.LocationAlarm, UsageStatistics.UsageChannel.App);
        return null;
    }

    /// <summary>The crossings since the caller has had the car, newest first.</summary>
    public async Task<(GeofenceEventPage? Page, Refusal? Refusal)> EventsAsync(
        string accountId, string vin, string? before, int? limit, CancellationToken cancellationToken)
    {
        vin = Vin.Normalize(vin);
        if (await access.AccessSinceAsync(accountId, vin, cancellationToken) is not { } since)
        {
            return (null, Refusal.VehicleNotFound);
        }
        if (!await entitlements.IsEntitledAsync(vin, ServiceIds.LocationAlarm, cancellationToken))
        {
            return (null, NotEntitled);
        }
        var (events, more) = await store.EventsAsync(vin, since, before, Math.Clamp(limit ?? 50, 1, 200), cancellationToken);
        usage.Record(ServiceIds.LocationAlarm, UsageStatistics.UsageChannel.App);
        return (new GeofenceEventPage(events.Select(GeofenceEventResponse.From).ToList(), more ? events[^1].Id : null), null);
    }

    /// <summary>A new owner starts without the previous owner's areas and history, and the car stops watching those areas.</summary>
    public async Task OnAccessEndedAsync(DbConnection connection, DbTransaction transaction, string vin, string? accountId)
    {
        if (accountId is not null)
        {
            return; // a driver left: the areas are the owner's
        }
        if (await GeofenceStore.DeleteVehicleAsync(connection, transaction, vin))
        {
            Database.AfterCommit(transaction, () => _ = Task.Run(() => SyncCarAsync(vin)));
        }
    }

    /// <summary>Sends the car the set as it is now (under the car's lock, so it never overtakes a later change).</summary>
    private async Task SyncCarAsync(string vin)
    {
        try
        {
            var now = time.GetUtcNow();
            await link.SendWithAsync(vin, async (c, t, enqueue) =>
                await enqueue(Frame(await GeofenceStore.ListAsync(c, t, vin), now), now + GeofenceRules.ConfigurationLifetime), CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSyncFailed(logger, e);
        }
    }

    private async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> ReplaceCheckedAsync(
        string vin, string id, Func<GeofenceRequest, GeofenceRequest> change, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Refusal? refused = null;
        var updated = await link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            await GeofenceStore.LockVehicleAsync(c, t, database.Dialect, vin);
            if (await GeofenceStore.FindAsync(c, t, vin, id) is not { } current)
            {
                refused = GeofenceNotFound;
                return null;
            }
            var errors = new ValidationErrors();
            GeofenceRequest request;
            try
            {
                request = change(RequestOf(current));
            }
            catch (JsonException)
            {
                refused = new Refusal(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, "The patch gives a field a value of the wrong type.");
                return null;
            }
            if (GeofenceRules.Validate(request, errors) is not { } draft)
            {
                refused = Refusal.Invalid(errors);
                return null;
            }
            var next = current with
            {
                Name = draft.Name, Latitude = draft.Latitude, Longitude = draft.Longitude, RadiusMetres = draft.RadiusMetres,
                Notify = draft.Notify, ActiveHours = draft.ActiveHours, UpdatedAt = now,
            };
            if (!next.SameForCar(current))
            {
                var areas = (await GeofenceStore.ListAsync(c, t, vin)).Select(a => a.Id == id ? next : a).ToList();
                next = next with { SentSeq = await enqueue(Frame(areas, now), now + GeofenceRules.ConfigurationLifetime) };
            }
            await GeofenceStore.UpdateAsync(c, t, next);
            return next;
        }, CancellationToken.None);
        if (updated is null)
        {
            return (null, refused);
        }
        usage.Record(ServiceIds.LocationAlarm, UsageStatistics.UsageChannel.App);
        return ((await ViewAsync(vin, [updated], cancellationToken))[0], null);
    }

    private async Task<IReadOnlyList<GeofenceResponse>> ViewAsync(string vin, IReadOnlyList<Geofence> areas, CancellationToken cancellationToken)
    {
        var info = areas.Count == 0 ? null : await link.InfoAsync(vin, cancellationToken);
        return areas.Select(g => GeofenceResponse.From(g, info?.HasApplied(g.SentSeq) == true)).ToList();
    }

    private async Task<Refusal?> ReadRefusalAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        if (await access.RoleOfAsync(accountId, vin, cancellationToken) is null)
        {
            return Refusal.VehicleNotFound;
        }
        return await entitlements.IsEntitledAsync(vin, ServiceIds.LocationAlarm, cancellationToken) ? null : NotEntitled;
    }

    /// <summary>Changing needs the primary user, the packages, and a car whose switches let the location alarm run.</summary>
    private async Task<Refusal?> ChangeRefusalAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        var role = await access.RoleOfAsync(accountId, vin, cancellationToken);
        if (role is null)
        {
            return Refusal.VehicleNotFound;
        }
        if (role == VehicleRole.Driver)
        {
            return PrimaryOnly;
        }
        if (!await entitlements.IsEntitledAsync(vin, ServiceIds.LocationAlarm, cancellationToken))
        {
            return NotEntitled;
        }
        var verdict = await serviceAccess.ForServiceAsync(vin, ServiceIds.LocationAlarm, cancellationToken);
        return verdict.Allowed ? null : new Refusal(StatusCodes.Status409Conflict, verdict.Code!, verdict.Detail!);
    }

    /// <summary>The full set for the car: each area with the jitter rules it must apply.</summary>
    private static V1.Envelope Frame(IEnumerable<Geofence> areas, DateTimeOffset now)
    {
        var set = new V1.GeofenceSet();
        set.Areas.AddRange(areas.Select(a => new V1.Geofence
        {
            Id = a.Id, Latitude = a.Latitude, Longitude = a.Longitude, RadiusM = a.RadiusMetres, ExitRadiusM = GeofenceRules.ExitRadius(a.RadiusMetres),
            DwellSeconds = GeofenceRules.DwellSeconds, MaxAccuracyM = GeofenceRules.MaxAccuracyMetres,
        }));
        return new V1.Envelope { SentAtMs = now.ToUnixTimeMilliseconds(), Configuration = new V1.Configuration { Geofences = set } };
    }

    private static GeofenceRequest RequestOf(Geofence g)
    {
        var view = GeofenceResponse.From(g, false);
        return new GeofenceRequest(g.Name, g.Latitude, g.Longitude, g.RadiusMetres, g.Notify,
            view.ActiveHours is { } h ? new ActiveHoursRequest(h.Days, h.From, h.To, h.TimeZone) : null);
    }

    private static GeofenceRequest Merge(GeofenceRequest current, JsonObject patch)
    {
        var target = JsonSerializer.SerializeToNode(current, JsonSerializerOptions.Web)!.AsObject();
        MergeInto(target, patch);
        return target.Deserialize<GeofenceRequest>(JsonSerializerOptions.Web) ?? current;
    }

    private static void MergeInto(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            var name = target.Select(p => p.Key).FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) ?? key;
            if (value is null)
            {
                target.Remove(name);
            }
            else if (value is JsonObject inner && target[name] is JsonObject existing)
            {
                MergeInto(existing, inner);
            }
            else
            {
                target[name] = value.DeepClone();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telling a car that changed hands to drop its geofences failed; it gets the set with the next change")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);
}
