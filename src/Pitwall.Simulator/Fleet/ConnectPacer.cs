namespace Pitwall.Simulator;

/// <summary>Hands out connection slots at a fixed rate across a fleet, so that a restarted server sees cars return
/// gradually. Waiting cars hold a timer each, no thread.</summary>
internal sealed class ConnectPacer(double perSecond, TimeProvider time)
{
    private readonly Lock _gate = new();
    private readonly long _start = time.GetTimestamp();
    // Seconds since _start at which the next slot opens.
    private double _next;

    public async ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TimeSpan wait;
        lock (_gate)
        {
            var now = time.GetElapsedTime(_start).TotalSeconds;
            // Allow a burst of one second's worth after a quiet spell, no more.
            _next = Math.Max(_next, now - 1);
            wait = TimeSpan.FromSeconds(Math.Max(0, _next - now));
            _next += 1 / perSecond;
        }
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }
}
