using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway;

/// <summary>
/// One batch of the ingest writer, grouped the ways its transaction and its acks need: the messages per handler (in the
/// order they came), and each car's new high-water mark. Rebuilt in place for every batch, so the writer's path allocates
/// nothing per message once its lists have grown (issue 17: the writer is the limit).
/// </summary>
internal sealed class IngestBatch(IReadOnlyDictionary<Envelope.PayloadOneofCase, IVehicleMessageHandler> handlers)
{
    private readonly Dictionary<Envelope.PayloadOneofCase, int> _handlerAt = [];
    private readonly List<(IVehicleMessageHandler Handler, List<InboundMessage> Messages)> _byHandler = [];
    // Each grouping's number, marked on the cars it saw (no look-up by VIN): unique across this process's batches.
    private static long s_groupings;
    private readonly List<CarMark> _marks = [];
    private readonly List<InboundMessage> _privacyChanges = [];

    /// <summary>The handlers with this batch's messages for each, in the order of their first message.</summary>
    public List<(IVehicleMessageHandler Handler, List<InboundMessage> Messages)> ByHandler => _byHandler;

    /// <summary>Per car: the highest seq in the batch, and its last message (whose switches decide whether the car was seen).</summary>
    public List<CarMark> Marks => _marks;

    /// <summary>Status reports that carry new privacy switches, in order.</summary>
    public List<InboundMessage> PrivacyChanges => _privacyChanges;

    public void Group(List<(VehicleSession Session, InboundMessage Message)> items)
    {
        _byHandler.Clear();
        _handlerAt.Clear();
        _marks.Clear();
        _privacyChanges.Clear();
        var grouping = Interlocked.Increment(ref s_groupings);
        foreach (var (session, message) in items)
        {
            var car = session.Car;
            if (car.GroupedIn == grouping)
            {
                _marks[car.MarkAt] = new CarMark(car, Math.Max(_marks[car.MarkAt].Seq, message.Seq), message);
            }
            else
            {
                car.GroupedIn = grouping;
                car.MarkAt = _marks.Count;
                _marks.Add(new CarMark(car, message.Seq, message));
            }
            // Refused messages store nothing; they only move the car's high-water mark, so that they are acked and never come back.
            if (message.Refused)
            {
                continue;
            }
            var payload = message.Envelope.PayloadCase;
            if (!_handlerAt.TryGetValue(payload, out var handlerAt))
            {
                _handlerAt[payload] = handlerAt = _byHandler.Count;
                // A list of its own per batch: a handler may still read it after Committed (an answer sent later).
                _byHandler.Add((handlers[payload], []));
            }
            _byHandler[handlerAt].Messages.Add(message);
            if (message.Envelope.StatusReport?.Privacy is not null)
            {
                _privacyChanges.Add(message);
            }
        }
    }

    internal readonly record struct CarMark(IngestCar Car, long Seq, InboundMessage Last)
    {
        public string Vin => Car.Vin;
    }
}
