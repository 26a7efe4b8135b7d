using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>Service appointments and navigation to the dealer (F1): the driver asks for an appointment in the car, and the
/// car keeps the destinations the cloud sends it to offer them to the driver.</summary>
public sealed partial class SimulatedVehicle
{
    private readonly List<Destination> _destinations = [];
    private readonly Dictionary<string, AppointmentStatus> _appointments = new(StringComparer.Ordinal);

    /// <summary>The destinations the cloud sent, oldest first (each id once).</summary>
    public IReadOnlyList<Destination> Destinations => Read(_ => (IReadOnlyList<Destination>)[.. _destinations]);

    /// <summary>The service appointments as the car's display shows them: the latest status of each, by appointment id.</summary>
    public IReadOnlyDictionary<string, AppointmentStatus> Appointments =>
        Read(_ => (IReadOnlyDictionary<string, AppointmentStatus>)_appointments.ToDictionary(a => a.Key, a => a.Value.Clone(), StringComparer.Ordinal));

    /// <summary>The driver asks for a service appointment from the car's screen; nothing is sent when the car's switches stop
    /// the maintenance service.</summary>
    /// <param name="dealerId">Empty = the owner's preferred dealer.</param>
    public Task RequestAppointmentAsync(string requestId, IEnumerable<DateTimeOffset> slots, string dealerId = "", string reason = "")
    {
        Change(() =>
        {
            if (MaySend(ServiceIds.Maintenance))
            {
                var request = new AppointmentRequest { RequestId = requestId, DealerId = dealerId, Reason = reason };
                request.SlotsMs.AddRange(slots.Select(s => s.ToUnixTimeMilliseconds()));
                Enqueue(new Envelope { AppointmentRequest = request }, periodic: false);
            }
        });
        return Task.CompletedTask;
    }

    /// <summary>Keeps a destination the cloud sent, once per id. Under the lock.</summary>
    private void Offer(Destination destination)
    {
        if (_destinations.All(d => d.DestinationId != destination.DestinationId))
        {
            _destinations.Add(destination.Clone());
        }
    }

    /// <summary>Keeps an appointment's status unless a later one is kept already (a resend may arrive late); returns the line the
    /// driver sees, for the log. Under the lock.</summary>
    private string? Show(AppointmentStatus status)
    {
        if (_appointments.TryGetValue(status.AppointmentId, out var kept) && kept.UpdatedAtMs > status.UpdatedAtMs)
        {
            return null;
        }
        _appointments[status.AppointmentId] = status.Clone();
        var when = status.StartsAtMs > 0
            ? " for " + DateTimeOffset.FromUnixTimeMilliseconds(status.StartsAtMs).ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture)
            : "";
        return $"service appointment {status.AppointmentId} at {status.DealerName}: {status.State.ToString().ToLowerInvariant()}{when}";
    }
}
