using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>A position fix as the car's GPS receiver gives it: possibly off the true position, with the receiver's own
/// estimate of its horizontal accuracy (metres).</summary>
public readonly record struct GpsFix(GeoPosition Position, double AccuracyMetres);

/// <summary>
/// The location alarm in the car (REQUIREMENTS D2). The cloud's <c>Configuration.geofences</c> replaces the areas the car
/// watches. Each fix is compared with each area with hysteresis: inside means within the radius, outside means beyond the
/// (larger) exit radius, and a fix in between keeps the state; a crossing is reported only after the fixes stayed on the
/// new side for the dwell time, and fixes less accurate than the area's limit are ignored. Fixes come from the stepped
/// physics (<see cref="Step"/>) and from <see cref="MoveTo"/>; with <see cref="SimulatedVehicleOptions.GpsJitterMetres"/>
/// they scatter around the true position and now and then one is poor. Events go through the resend buffer like every
/// other car message, so they survive a dropped link.
/// </summary>
public sealed partial class SimulatedVehicle
{
    // All under _gate.
    private readonly Dictionary<string, WatchedArea> _geofences = new(StringComparer.Ordinal);
    private SimRandom? _gps;
    // Stepped time: the dwell is measured in it, so a test moves the car, not a clock.
    private TimeSpan _gpsClock;
    private GpsFix? _lastFix;
    private long _geofenceEventsSent;
    private long _fixesIgnored;

    /// <summary>The ids of the areas the car watches now.</summary>
    public IReadOnlyList<string> Geofences => Read<IReadOnlyList<string>>(_ => [.. _geofences.Keys]);

    /// <summary>Whether the car considers itself inside the area (null for an area it does not watch).</summary>
    public bool? IsInsideGeofence(string id) => Read(_ => _geofences.TryGetValue(id, out var area) ? area.Inside : (bool?)null);

    /// <summary>The last fix the location alarm looked at (null before the first one).</summary>
    public GpsFix? LastFix => Read(_ => _lastFix);

    /// <summary>Geofence events queued (entered and exited).</summary>
    public long GeofenceEventsSent => Read(_ => _geofenceEventsSent);

    /// <summary>Fixes the location alarm ignored for poor accuracy.</summary>
    public long FixesIgnored => Read(_ => _fixesIgnored);

    /// <summary>
    /// Puts the car at <paramref name="position"/> (standing there until it drives again) and takes a fix. For tests and
    /// scenarios that need the car at an exact place; <see cref="Step"/> then lets time pass there, e.g. for the dwell.
    /// </summary>
    public void MoveTo(GeoPosition position) =>
        Change(() =>
        {
            _state.Place(position);
            WatchGeofences(TimeSpan.Zero);
        });

    /// <summary>A configuration's geofence part: the areas to watch from now on. An area the car already watched with the same
    /// geometry keeps its state; a new one starts from where the car is, without an event. Under the lock.</summary>
    private void ConfigureGeofences(GeofenceSet set)
    {
        var next = new Dictionary<string, WatchedArea>(StringComparer.Ordinal);
        foreach (var g in set.Areas)
        {
            var area = new WatchedArea(g.Id, new GeoPosition(g.Latitude, g.Longitude), g.RadiusM, Math.Max(g.ExitRadiusM, g.RadiusM),
                TimeSpan.FromSeconds(g.DwellSeconds), g.MaxAccuracyM > 0 ? g.MaxAccuracyM : double.PositiveInfinity);
            if (_geofences.TryGetValue(g.Id, out var known) && known.SameGeometry(area))
            {
                next[g.Id] = known;
                continue;
            }
            area.Inside = area.Centre.DistanceTo(_state.Position) <= area.Radius;
            next[g.Id] = area;
        }
        _geofences.Clear();
        foreach (var (id, area) in next)
        {
            _geofences[id] = area;
        }
    }

    /// <summary>After <paramref name="elapsed"/> of stepped time: one fix, compared with every area. Under the lock.</summary>
    private void WatchGeofences(TimeSpan elapsed)
    {
        _gpsClock += elapsed;
        if (_geofences.Count == 0)
        {
            return;
        }
        var fix = NextFix();
        _lastFix = fix;
        var ignored = false;
        foreach (var area in _geofences.Values)
        {
            if (fix.AccuracyMetres <= 0 || fix.AccuracyMetres > area.MaxAccuracy)
            {
                ignored = true;
                continue;
            }
            var distance = area.Centre.DistanceTo(fix.Position);
            bool? inside = distance <= area.Radius ? true : distance > area.ExitRadius ? false : null;
            if (inside is not { } side || side == area.Inside)
            {
                area.CandidateSince = null; // on the old side, or between the radii: nothing changes
                continue;
            }
            area.CandidateSince ??= _gpsClock;
            if (_gpsClock - area.CandidateSince.Value >= area.Dwell)
            {
                area.Inside = side;
                area.CandidateSince = null;
                ReportCrossing(area, fix);
            }
        }
        if (ignored)
        {
            _fixesIgnored++;
        }
    }

    /// <summary>Queues the event unless the car's switches or packages forbid the location alarm. Under the lock.</summary>
    private void ReportCrossing(WatchedArea area, GpsFix fix)
    {
        if (!MaySend(ServiceIds.LocationAlarm))
        {
            return;
        }
        var now = NowMs();
        Enqueue(new Envelope
        {
            GeofenceEvent = new GeofenceEvent
            {
                GeofenceId = area.Id,
                Transition = area.Inside ? GeofenceEvent.Types.Transition.Entered : GeofenceEvent.Types.Transition.Exited,
                Position = new Position
                {
                    Latitude = fix.Position.Latitude, Longitude = fix.Position.Longitude, AccuracyM = fix.AccuracyMetres, RecordedAtMs = now,
                },
                OccurredAtMs = now,
            },
        }, periodic: false);
        _geofenceEventsSent++;
    }

    /// <summary>The receiver's fix: the true position, or with jitter a point within the jitter radius of it (accuracy of the
    /// same order), and now and then a poor fix hundreds of metres off that the receiver flags as such. Under the lock.</summary>
    private GpsFix NextFix()
    {
        var truth = _state.Position;
        var jitter = _options.GpsJitterMetres;
        if (jitter <= 0)
        {
            return new GpsFix(truth, _state.HorizontalAccuracy);
        }
        var gps = _gps ??= new SimRandom(_options.Seed, stream: 3);
        var angle = gps.Between(0, 2 * Math.PI);
        if (gps.Chance(_options.PoorFixShare))
        {
            var off = gps.Between(150, 600); // reflections between buildings, a tunnel exit
            return new GpsFix(truth.Offset(off * Math.Cos(angle), off * Math.Sin(angle)), gps.Between(150, 800));
        }
        var distance = jitter * Math.Sqrt(gps.NextDouble()); // uniform over the disc
        return new GpsFix(truth.Offset(distance * Math.Cos(angle), distance * Math.Sin(angle)), Math.Max(distance, jitter * gps.Between(0.5, 1)));
    }

    private sealed class WatchedArea(string id, GeoPosition centre, double radius, double exitRadius, TimeSpan dwell, double maxAccuracy)
    {
        public string Id { get; } = id;
        public GeoPosition Centre { get; } = centre;
        public double Radius { get; } = radius;
        public double ExitRadius { get; } = exitRadius;
        public TimeSpan Dwell { get; } = dwell;
        public double MaxAccuracy { get; } = maxAccuracy;
        public bool Inside { get; set; }
        /// <summary>Since when (stepped time) the fixes have been on the other side.</summary>
        public TimeSpan? CandidateSince { get; set; }

        public bool SameGeometry(WatchedArea other) =>
            Centre == other.Centre && Radius.Equals(other.Radius) && ExitRadius.Equals(other.ExitRadius) && Dwell == other.Dwell &&
            MaxAccuracy.Equals(other.MaxAccuracy);
    }
}
