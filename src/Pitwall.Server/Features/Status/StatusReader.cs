using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Data;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>The latest values of some signals, each with unit and time or why it is missing, and the link's state.</summary>
public sealed record SignalSnapshot(bool Online, bool PrivateMode, DateTimeOffset? LastSeenAt, IReadOnlyDictionary<Signal, SignalResponse> Values)
{
    public SignalResponse this[Signal signal] => Values[signal];
}

/// <summary>Turns the stored state and the link's knowledge into API answers: each value with unit and time, or why not.</summary>
public sealed class StatusReader(StatusStore store, IVehicleLink link, Privacy.IServiceAccess access)
{
    /// <summary>What Car Control and Car Finder show (C1, C2); charging and climate have views of their own.</summary>
    private static readonly Signal[] StatusSignals =
        [.. SignalCatalog.All.Where(s => s.Service is SignalService.CarControl or SignalService.CarFinder)];

    public async Task<StatusResponse> StatusAsync(string vin, CancellationToken cancellationToken)
    {
        var snapshot = await ReadAsync(vin, StatusSignals, cancellationToken);
        return new StatusResponse(vin, snapshot.Online, snapshot.PrivateMode, snapshot.LastSeenAt,
            snapshot.Values.ToDictionary(v => v.Key.Path, v => v.Value));
    }

    public async Task<LocationResponse> LocationAsync(string vin, CancellationToken cancellationToken)
    {
        var s = await ReadAsync(vin, [SignalCatalog.Latitude, SignalCatalog.Longitude, SignalCatalog.Heading, SignalCatalog.HorizontalAccuracy],
            cancellationToken);
        var (latitude, longitude) = (s[SignalCatalog.Latitude], s[SignalCatalog.Longitude]);
        if (latitude.Value is not double lat || longitude.Value is not double lon)
        {
            return new LocationResponse(null, null, null, null, null, latitude.Unavailable ?? longitude.Unavailable ?? "not_reported");
        }
        return new LocationResponse(lat, lon, s[SignalCatalog.Heading].Value as double?, s[SignalCatalog.HorizontalAccuracy].Value as double?,
            latitude.RecordedAt, null);
    }

    public async Task<SignalSnapshot> ReadAsync(string vin, IReadOnlyCollection<Signal> signals, CancellationToken cancellationToken)
    {
        var info = await link.InfoAsync(vin, cancellationToken);
        var state = await store.FindAsync(vin, cancellationToken);
        return new SignalSnapshot(info?.Online == true, info?.Privacy.PrivateMode ?? false, info?.LastSeenAt,
            signals.ToDictionary(s => s, s => Describe(s, info, state)));
    }

    private SignalResponse Describe(Signal signal, VehicleLinkInfo? info, StatusReport? state)
    {
        if (info is null)
        {
            return new SignalResponse(null, signal.Unit, null, "offline");
        }
        // Values stored before the car went private (or switched the service off) are kept but not shown.
        if (access.ForCarData(ServiceIds.Of(signal.Service), info.Privacy).Code is { } reason)
        {
            return new SignalResponse(null, signal.Unit, null, reason);
        }
        if (!info.SupportedSignals.Contains(signal.Id))
        {
            return new SignalResponse(null, signal.Unit, null, "not_supported");
        }
        var value = state?.Values.FirstOrDefault(v => v.Id == signal.Id);
        if (value is null || value.ValueCase == SignalValue.ValueOneofCase.None)
        {
            return new SignalResponse(null, signal.Unit, null, info.Online ? "not_reported" : "offline");
        }
        // Whatever is stored must read: a value stored before the gate checked content may be implausible.
        if (!StoredTime.TryRead(value.RecordedAtMs, out var recordedAt) || !signal.IsPlausible(value))
        {
            return new SignalResponse(null, signal.Unit, null, SignalValues.OutOfRange);
        }
        object? boxed = value.ValueCase switch
        {
            SignalValue.ValueOneofCase.Number => value.Number,
            SignalValue.ValueOneofCase.Flag => value.Flag,
            SignalValue.ValueOneofCase.Text => value.Text,
            _ => null,
        };
        return new SignalResponse(boxed, signal.Unit, recordedAt, boxed is null ? value.Unavailable : null);
    }
}
