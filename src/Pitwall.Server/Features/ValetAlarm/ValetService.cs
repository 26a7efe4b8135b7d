using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.ValetAlarm;

/// <summary>
/// Switches the valet alarm on and off: the session and the configuration frame for the car are written in one
/// transaction, so the car gets exactly what the platform recorded (and gets it after a reconnect if it was offline).
/// </summary>
public sealed class ValetService(
    IVehicleLink link, ValetStore store, TimeProvider time)
{
    public const double DefaultMaxSpeedKmh = 50;
    public const double DefaultRadiusM = 1000;

    public static readonly Refusal NotActive = new(StatusCodes.Status409Conflict, ValetErrorCodes.ValetNotActive, "The valet alarm is not on.");

    /// <summary>The limits a request asks for, defaults filled in; the fields that are wrong (10–250 km/h, 100–50 000 m) go
    /// into <paramref name="errors"/>.</summary>
    public static (double MaxSpeedKmh, double RadiusM) Limits(double? maxSpeedKmh, double? radiusM, ValidationErrors errors)
    {
        var maxSpeed = maxSpeedKmh ?? DefaultMaxSpeedKmh;
        var radius = radiusM ?? DefaultRadiusM;
        if (!(maxSpeed is >= 10 and <= 250))
        {
            errors.Add("maxSpeedKmh", "Between 10 and 250 km/h.");
        }
        if (!(radius is >= 100 and <= 50_000))
        {
            errors.Add("radiusM", "Between 100 m and 50 km.");
        }
        return (maxSpeed, radius);
    }

    /// <summary>The valet alarm's state (the open session, or else the latest one) with whether the car confirmed it, for the
    /// API and the portal alike.</summary>
    public async Task<ValetResponse> CurrentAsync(string vin, CancellationToken cancellationToken) =>
        await store.CurrentAsync(vin, cancellationToken) is { } session
            ? ValetResponse.From(session, await link.InfoAsync(vin, cancellationToken))
            : ValetResponse.Inactive;

    /// <summary>Starts the valet alarm, or changes the limits of the one running.</summary>
    public Task<ValetSession> StartAsync(string vin, string accountId, double maxSpeedKmh, double radiusM, CancellationToken cancellationToken) =>
        link.SendWithAsync(vin, async (c, t, enqueue) =>
        {
            var now = time.GetUtcNow();
            var open = await ValetStore.OpenAsync(c, t, vin);
            var id = open?.Id ?? Guid.NewGuid().ToString("N");
            var maxSpeedMps = maxSpeedKmh / 3.6;
            var seq = await enqueue(Frame(new ValetSettings { Active = true, ValetId = id, MaxSpeedMps = maxSpeedMps, RadiusM = radiusM }, now), now.AddDays(30));
            if (open is null)
            {
                await ValetStore.InsertAsync(c, t, vin, accountId, new ValetSession(id, maxSpeedMps, radiusM, now, seq, null, null, null, null));
            }
            else
            {
                await ValetStore.SetLimitsAsync(c, t, id, maxSpeedMps, radiusM, seq);
            }
            return (await ValetStore.OpenAsync(c, t, vin))!;
        }, cancellationToken);

    /// <returns>The session being ended, or null when none was running.</returns>
    public Task<ValetSession?> StopAsync(string vin, CancellationToken cancellationToken) =>
        link.SendWithAsync<ValetSession?>(vin, async (c, t, enqueue) =>
        {
            if (await ValetStore.OpenAsync(c, t, vin) is not { } open)
            {
                return null;
            }
            var now = time.GetUtcNow();
            var seq = await enqueue(Frame(new ValetSettings { Active = false, ValetId = open.Id }, now), now.AddDays(30));
            await ValetStore.RequestEndAsync(c, t, open.Id, now, seq);
            return open with { EndRequestedAt = now, ConfigSeq = seq };
        }, cancellationToken);

    private static Envelope Frame(ValetSettings valet, DateTimeOffset now) =>
        new() { SentAtMs = now.ToUnixTimeMilliseconds(), Configuration = new Configuration { Valet = valet } };
}
