namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>A clock the test moves by hand; time never passes on its own, and timers fire only when it is moved.</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private long _ticks = start.UtcTicks;

    /// <summary>Starts at the real time (whole seconds), so that peers on the system clock, such as simulated cars
    /// judging a command's expiry, agree with the server until a test moves it.</summary>
    public TestClock() : this(DateTimeOffset.FromUnixTimeSeconds(TimeProvider.System.GetUtcNow().ToUnixTimeSeconds()))
    {
    }

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    /// <summary>Moves time forward and fires, in order, every timer that falls due.</summary>
    public void Advance(TimeSpan by)
    {
        var target = Interlocked.Add(ref _ticks, by.Ticks);
        while (true)
        {
            ManualTimer? due;
            lock (_gate)
            {
                due = _timers.Where(t => t.DueAt <= target).OrderBy(t => t.DueAt).FirstOrDefault();
                if (due is null)
                {
                    return;
                }
                due.Reschedule();
            }
            due.Fire();
        }
    }

    private TaskCompletionSource _timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when code under test next starts a timer on this clock (e.g. a request begins to wait).</summary>
    public Task NextTimerAsync()
    {
        lock (_gate)
        {
            return _timerCreated.Task;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        TaskCompletionSource created;
        lock (_gate)
        {
            created = _timerCreated;
            _timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        created.TrySetResult();
        return timer;
    }

    private sealed class ManualTimer(TestClock clock, TimerCallback callback, object? state) : ITimer
    {
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public long DueAt { get; private set; } = long.MaxValue;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
                _period = period;
                if (dueTime == Timeout.InfiniteTimeSpan)
                {
                    DueAt = long.MaxValue;
                    return true;
                }
                DueAt = clock.GetTimestamp() + dueTime.Ticks;
                clock._timers.Add(this);
            }
            return true;
        }

        /// <summary>Under the clock's lock: the next due time, or off for a one-shot timer.</summary>
        internal void Reschedule()
        {
            if (_period > TimeSpan.Zero && _period != Timeout.InfiniteTimeSpan)
            {
                // Ticks missed by a long jump fire once, as a real periodic timer that fell behind would.
                var now = clock.GetTimestamp();
                DueAt += _period.Ticks * Math.Max(1, ((now - DueAt) / _period.Ticks) + 1);
            }
            else
            {
                DueAt = long.MaxValue;
                clock._timers.Remove(this);
            }
        }

        internal void Fire() => callback(state);

        public void Dispose()
        {
            lock (clock._gate)
            {
                clock._timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
