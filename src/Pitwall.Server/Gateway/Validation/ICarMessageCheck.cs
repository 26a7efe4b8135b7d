using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway.Validation;

/// <summary>
/// A feature's check of a car message kind it owns, run by the gate (<see cref="CarMessageValidator"/>) before any handler:
/// bound every list and string, drop implausible values in place, or refuse the message. Must not throw on content.
/// </summary>
public interface ICarMessageCheck
{
    Envelope.PayloadOneofCase Checks { get; }

    ContentVerdict Check(Envelope envelope, CarClock clock);
}

/// <summary>The times a car may plausibly report (epoch ms), around the platform's clock when the message arrived.</summary>
public readonly record struct CarClock(long EarliestMs, long LatestMs)
{
    public bool Contains(long ms) => ms >= EarliestMs && ms <= LatestMs;

    /// <summary>For optional times, where 0 means "not sent".</summary>
    public bool ContainsOrUnset(long ms) => ms == 0 || Contains(ms);
}
