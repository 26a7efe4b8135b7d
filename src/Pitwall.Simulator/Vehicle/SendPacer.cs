namespace Pitwall.Simulator;

/// <summary>
/// A token bucket that keeps one car under the server's per-connection message rate, so that a long resend
/// after reconnecting trickles out instead of getting the connection closed for RATE_LIMITED.
/// </summary>
internal sealed class SendPacer
{
    private readonly double _perSecond;
    private readonly double _burst;
    private readonly TimeProvider _time;
    private double _tokens;
    private long _last;

    /// <param name="perSecond">Sustained frames per second; 0 or less = unpaced.</param>
    public SendPacer(double perSecond, double burst, TimeProvider time)
    {
        _perSecond = perSecond;
        _burst = burst;
        _time = time;
        _tokens = burst;
        _last = time.GetTimestamp();
    }

    /// <returns>How long to wait before sending one frame (zero when it may go now); the token is taken either way.</returns>
    public TimeSpan Take()
    {
        if (_perSecond <= 0)
        {
            return TimeSpan.Zero;
        }
        var now = _time.GetTimestamp();
        _tokens = Math.Min(_burst, _tokens + _time.GetElapsedTime(_last, now).TotalSeconds * _perSecond);
        _last = now;
        _tokens -= 1;
        return _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-_tokens / _perSecond);
    }
}
