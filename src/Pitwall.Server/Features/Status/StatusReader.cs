using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Status;

/// <summary>Turns the stored state and the link's knowledge into API answers: each value with unit and time, or why not.</summary>
public sealed class StatusReader(StatusStore store, IVehicleLink link)
{
    public async Task<StatusResponse> StatusAsync(string vin, CancellationToken cancellationToken)
    {
        var (info, state) = await LoadAsync(vin, cancellationToken);
        var privacy = info?.Privacy ?? new PrivacySettings();
        var signals = SignalCatalog.All.ToDictionary(s => s.Path, s => Describe(s, info, state));
        return new StatusResponse(vin, link.IsOnline(vin), privacy.PrivateMode, info?.LastSeenAt, signals);
    }

    public async Task<LocationResponse> LocationAsync(string vin, CancellationToken cancellationToken)
    {
        var (info, state) = await LoadAsync(vin, cancellationToken);
        var latitude = Describe(SignalCatalog.Latitude, info, state);
        var longitude = Describe(SignalCatalog.Longitude, info, state);
        if (latitude.Value is not double lat || longitude.Value is not double lon)
        {
            return new LocationResponse(null, null, null, null, null, latitude.Unavailable ?? longitude.Unavailable ?? "not_reported");
        }
        return new LocationResponse(lat, lon,
            Describe(SignalCatalog.Heading, info, state).Value as double?,
            Describe(SignalCatalog.HorizontalAccuracy, info, state).Value as double?,
            latitude.RecordedAt, null);
    }

    private async Task<(VehicleLinkInfo? Info, StatusReport? State)> LoadAsync(string vin, CancellationToken cancellationToken) =>
        (await link.InfoAsync(vin, cancellationToken), await store.FindAsync(vin, cancellationToken));

    private SignalResponse Describe(Signal signal, VehicleLinkInfo? info, StatusReport? state)
    {
        if (info is null)
        {
            return new SignalResponse(null, signal.Unit, null, "offline");
        }
        if (StatusPrivacy.Withheld(signal, info.Privacy) is { } reason)
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
        object boxed = value.ValueCase switch
        {
            SignalValue.ValueOneofCase.Number => value.Number,
            SignalValue.ValueOneofCase.Flag => value.Flag,
            _ => value.Text,
        };
        return new SignalResponse(boxed, signal.Unit, DateTimeOffset.FromUnixTimeMilliseconds(value.RecordedAtMs), null);
    }
}
