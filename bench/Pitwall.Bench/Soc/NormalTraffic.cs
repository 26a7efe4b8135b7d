namespace Pitwall.Bench.Soc;

/// <summary>
/// A fleet reporting normally, open loop: its connected cars take turns (round robin) sending the ingest benchmark's periodic
/// status report at <paramref name="rate"/> reports per second in total. The caller's pacer calls <see cref="Pace"/> often (about once a
/// millisecond); each call sends what is due by then. The acks are counted in the cars' <see cref="LinkStats"/>.
/// </summary>
internal sealed class NormalTraffic(LinkCar[] cars, double rate)
{
    private readonly StatusFrames[] _frames = [.. cars.Select(c => new StatusFrames(c.Index))];
    private long _issued;
    private long _sent;
    private long _failures;

    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>Reports that could not be sent (the car's link was broken).</summary>
    public long Failures => Interlocked.Read(ref _failures);

    /// <summary>Sends the reports due <paramref name="elapsedSeconds"/> after the traffic started.</summary>
    public void Pace(double elapsedSeconds)
    {
        for (var due = (long)(elapsedSeconds * rate); _issued < due; _issued++)
        {
            var i = (int)(_issued % cars.Length);
            _ = SendAsync(cars[i], _frames[i]);
        }
    }

    private async Task SendAsync(LinkCar car, StatusFrames frames)
    {
        var sent = await car.SendAsync((seq, nowMs) => frames.Report((ulong)seq, nowMs));
        Interlocked.Increment(ref sent is null ? ref _failures : ref _sent);
    }
}
