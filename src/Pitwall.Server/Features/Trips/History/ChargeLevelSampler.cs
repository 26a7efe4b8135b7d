using System.Collections.Concurrent;
using System.Data.Common;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;
using Pitwall.Server.Features.Privacy;
using Pitwall.Server.Features.Status;
using Pitwall.Server.Gateway;

namespace Pitwall.Server.Features.Trips.History;

/// <summary>
/// Keeps the traction battery's charge level for the trip history's chart: from the status reports the car sends anyway, at most
/// one point per car every <see cref="Interval"/>, and only for cars whose owner consented (the consent is read once per car and
/// interval, so a car without it costs a dictionary look-up per report).
/// </summary>
public sealed class ChargeLevelSampler(IServiceAccess access) : IStatusObserver
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private const int MaxCars = 50_000;

    // VIN → when (server time, epoch ms) the next point may be taken; owned by the single ingest writer.
    private readonly ConcurrentDictionary<string, long> _next = new(StringComparer.Ordinal);

    public async Task ObserveAsync(DbConnection connection, DbTransaction transaction, InboundMessage message, StatusReport before, IReadOnlyList<SignalValue> values)
    {
        var level = Find(values);
        var now = message.ReceivedAt.ToUnixTimeMilliseconds();
        if (level is null || _next.TryGetValue(message.Vin, out var next) && now < next)
        {
            return;
        }
        if (_next.Count >= MaxCars)
        {
            _next.Clear(); // a miss only reads the consent once more
        }
        _next[message.Vin] = now + (long)Interval.TotalMilliseconds;
        if (!access.ForCarData(ServiceIds.TripControl, message.Privacy).Allowed ||
            !await Consents.IsGivenAsync(connection, transaction, message.Vin, TripHistory.Purpose, scope: null))
        {
            return;
        }
        var at = level.RecordedAtMs > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(level.RecordedAtMs) : message.ReceivedAt;
        await TripHistoryStore.SaveChargeLevelAsync(connection, transaction, message.Vin, new ChargeLevel(at, level.Number));
    }

    /// <summary>The next report of the car is sampled (its owner just consented).</summary>
    internal void Forget(string vin) => _next.TryRemove(vin, out _);

    private static SignalValue? Find(IReadOnlyList<SignalValue> values)
    {
        for (var i = 0; i < values.Count; i++) // by index: an enumerator through the interface is an object per report
        {
            var value = values[i];
            if (value.Id == SignalCatalog.StateOfCharge.Id && value.ValueCase == SignalValue.ValueOneofCase.Number &&
                double.IsFinite(value.Number) && value.Number is >= 0 and <= 100)
            {
                return value;
            }
        }
        return null;
    }
}
