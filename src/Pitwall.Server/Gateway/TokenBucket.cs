namespace Pitwall.Server.Gateway;

/// <summary>A per-connection message-rate limit: <c>rate</c> per second sustained, <c>burst</c> at once.</summary>
internal sealed class TokenBucket(double rate, double burst, TimeProvider time)
{
    private readonly double _burst = burst;
    private double _tokens = burst;
    private long _last = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + time.GetElapsedTime(_last, now).TotalSeconds * rate);
        _last = now;
        if (_tokens < 1)
        {
            return false;
        }
        _tokens -= 1;
        return true;
    }
}
