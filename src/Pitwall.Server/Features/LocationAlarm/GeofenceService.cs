using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pitwall.Server.Data;
using Pitwall.Server.Features.Vehicles;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;
using V1 = Pitwall.Protocol.V1;

namespace Pitwall.Server.Features.LocationAlarm;

/// <summary>
/// The location alarm's areas (D2) for the API and the portal alike, behind the vehicle-service gate: the four-area limit,
/// and the car's copy — every change that matters to the car sends it the full set, in the same transaction as the change,
/// and an area reads as confirmed once the car has acked the frame that carried its current version.
/// </summary>
public sealed partial class GeofenceService(
    Database database, GeofenceStore store, IVehicleLink link, TimeProvider time, ILogger<GeofenceService> logger) : IVehicleAccessListener
{
    public static readonly Refusal GeofenceNotFound = new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, "The geofence was not found.");
    public static readonly Refusal Limit = new(StatusCodes.Status409Conflict, GeofenceErrorCodes.GeofenceLimit,
        "A car has at most four geofences; delete one first.");

    /// <summary>The car's areas, with whether the car confirmed each.</summary>
    public async Task<IReadOnlyList<GeofenceResponse>> ListAsync(string vin, CancellationToken cancellationToken) =>
        await ViewAsync(vin, await store.ListAsync(vin, cancellationToken), cancellationToken);

    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> GetAsync(string vin, string id, CancellationToken cancellationToken) =>
        (await ListAsync(vin, cancellationToken)).FirstOrDefault(g => g.Id == id) is { } found ? (found, null) : (null, GeofenceNotFound);

    public async Task<(GeofenceResponse? Geofence, Refusal? Refusal)> CreateAsync(string vin, GeofenceRequest request, CancellationToken cancellationToken)
    {
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
        return (GeofenceResponse.From(created, confirmed: false), null);
    }

    /// <summary>Replaces the area with what the request says (a PUT).</summary>
    public Task<(GeofenceResponse? Geofence, Refusal? Refusal)> ReplaceAsync(string vin, string id, GeofenceRequest request, CancellationToken cancellationToken) =>
        ReplaceCheckedAsync(vin, id, _ => request, cancellationToken);

    /// <summary>Changes the fields the patch names (a JSON merge patch, RFC 7396: null removes, e.g. <c>"activeHours": null</c>).</summary>
    public Task<(GeofenceResponse? Geofence, Refusal? Refusal)> PatchAsync(string vin, string id, JsonObject patch, CancellationToken cancellationToken) =>
        ReplaceCheckedAsync(vin, id, current => Merge(current, patch), cancellationToken);

    public async Task<Refusal?> DeleteAsync(string vin, string id, CancellationToken cancellationToken)
    {
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
        return deleted ? null : GeofenceNotFound;
    }

    /// <summary>The crossings since <paramref name="since"/> (when the caller got the car), newest first.</summary>
    public async Task<GeofenceEventPage> EventsAsync(string vin, DateTimeOffset since, string? before, int? limit, CancellationToken cancellationToken)
    {
        var (events, more) = await store.EventsAsync(vin, since, before, Math.Clamp(limit ?? 50, 1, 200), cancellationToken);
        return new GeofenceEventPage(events.Select(GeofenceEventResponse.From).ToList(), more ? events[^1].Id : null);
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
        return ((await ViewAsync(vin, [updated], cancellationToken))[0], null);
    }

    private async Task<IReadOnlyList<GeofenceResponse>> ViewAsync(string vin, IReadOnlyList<Geofence> areas, CancellationToken cancellationToken)
    {
        var info = areas.Count == 0 ? null : await link.InfoAsync(vin, cancellationToken);
        return areas.Select(g => GeofenceResponse.From(g, info?.HasApplied(g.SentSeq) == true)).ToList();
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
