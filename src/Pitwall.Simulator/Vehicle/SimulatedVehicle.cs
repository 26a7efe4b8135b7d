using System.Threading.Channels;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Simulator;

/// <summary>
/// One simulated car speaking the real vehicle link (DESIGN §4): it drives, opens doors, uses energy and reports on
/// those triggers; it keeps every sequenced frame until the server acks it and resends after reconnecting; it
/// answers data requests and commands and shows pairing codes. Usable alone (integration tests) or in a
/// <see cref="SimulatedFleet"/>. Nothing here sleeps: physics advances by <see cref="Step"/>, and waiting is
/// done with the Wait… methods or <see cref="ReceivedFrames"/>.
/// </summary>
public sealed partial class SimulatedVehicle : IAsyncDisposable
{
    private static readonly TimeSpan DriveStep = TimeSpan.FromSeconds(1);

    private readonly SimulatedVehicleOptions _options;
    private readonly TimeProvider _time;
    // Guards all state below, the resend buffer and the link state; never held across an await.
    private readonly Lock _gate = new();
    private readonly VehicleState _state;
    private readonly SimRandom _random;
    // Separate from _random so that network timing never changes how the car drives.
    private readonly SimRandom _jitter;
    private readonly ResendBuffer _buffer;
    private readonly SequenceCounter _seq;
    private readonly SendPacer _pacer;
    private readonly Channel<ReceivedFrame>? _received;
    private PrivacySettings _privacy;
    private TimeSpan _periodicInterval;
    private TimeSpan _sincePeriodic;
    private double _extraReportsDue;
    private DateTimeOffset _timersCheckedUpTo;
    private IReadOnlyList<string>? _activeServices;
    private TaskCompletionSource? _allAcked;
    private TaskCompletionSource? _connected;

    public SimulatedVehicle(SimulatedVehicleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!Pitwall.Protocol.Vin.IsValid(options.Vin))
        {
            throw new ArgumentException("The VIN must be 17 characters of the ISO 3779 alphabet.", nameof(options));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ResendCapacity, 1, nameof(options));
        _options = options;
        _time = options.TimeProvider;
        _state = new VehicleState(options.Powertrain, options.StartPosition, options.StartHeading, options.StartLevel, options.StartOdometer);
        _random = new SimRandom(options.Seed);
        _jitter = new SimRandom(options.Seed, stream: 1);
        _buffer = new ResendBuffer(options.ResendCapacity);
        _seq = options.FirstSeq is { } first ? new SequenceCounter(first) : SequenceNumbers.For(options.Vin);
        _pacer = new SendPacer(options.MaxFramesPerSecond, Math.Max(1, options.MaxFrameBurst), _time);
        _received = options.RecordReceivedFrames ? Channel.CreateUnbounded<ReceivedFrame>(new UnboundedChannelOptions { SingleWriter = true }) : null;
        _privacy = options.Privacy?.Clone() ?? new PrivacySettings();
        _periodicInterval = options.PeriodicInterval;
        _serviceLogInterval = options.ServiceLogInterval;
        _timersCheckedUpTo = _time.GetUtcNow();
    }

    /// <summary>A pairing code arrived and is on the car's screen (the argument is the code).</summary>
    public event EventHandler<string>? PairingCodeShown;

    /// <summary>Raised on the receive path after a frame was handled; keep handlers short and non-throwing.</summary>
    public event EventHandler<ReceivedFrame>? FrameReceived;

    public string Vin => _options.Vin;

    public Powertrain Powertrain => _state.Powertrain;

    /// <summary>The catalogue ids this car reports (sent in hello).</summary>
    public IReadOnlyList<uint> SupportedSignals => VehicleSignals.SupportedBy(Powertrain);

    /// <summary>Connected and welcomed: frames flow.</summary>
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connection is { Welcomed: true };
            }
        }
    }

    public string? LastPairingCode { get; private set; }

    public long PairingCodesShown { get; private set; }

    /// <summary>Sequenced frames created (reports and command results), sent or not.</summary>
    public long Queued { get; private set; }

    /// <summary>Sequenced frames written to a socket at least once (resends not counted again).</summary>
    public long Sent { get; private set; }

    /// <summary>Frames written again after a reconnect.</summary>
    public long Resent { get; private set; }

    /// <summary>Frames the server acked (by ack or welcome).</summary>
    public long Acked { get; private set; }

    /// <summary>Frames lost because the resend buffer was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Frames in the resend buffer: not yet acked by the server.</summary>
    public int UnackedCount
    {
        get
        {
            lock (_gate)
            {
                return _buffer.Count;
            }
        }
    }

    /// <summary>The highest car seq the server said it holds durably.</summary>
    public ulong LastAckedSeq { get; private set; }

    /// <summary>The car's highest seq so far.</summary>
    public ulong LastSeq => _seq.Last;

    /// <summary>The highest server seq the car processed; the next hello's last_received_seq.</summary>
    public ulong LastServerSeq { get; private set; }

    /// <summary>Successful connections (welcome received).</summary>
    public long Connects { get; private set; }

    /// <summary>Automatic reconnections started after the link dropped.</summary>
    public long Reconnects { get; private set; }

    public long ConnectFailures { get; private set; }

    /// <summary>Errors the server sent before closing.</summary>
    public long ServerErrors { get; private set; }

    public ProtocolError? LastError { get; private set; }

    public PrivacySettings Privacy
    {
        get
        {
            lock (_gate)
            {
                return _privacy.Clone();
            }
        }
    }

    /// <summary>The services the cloud last said the car's packages make active; null before it said anything.</summary>
    public IReadOnlyList<string>? ActiveServices => Read(_ => _activeServices);

    public TimeSpan PeriodicInterval
    {
        get
        {
            lock (_gate)
            {
                return _periodicInterval;
            }
        }
    }

    public GeoPosition Position => Read(s => s.Position);

    /// <summary>m/s.</summary>
    public double Speed => Read(s => s.Speed);

    /// <summary>State of charge or fuel level, %.</summary>
    public double Level => Read(s => s.Level);

    /// <summary>m.</summary>
    public double Odometer => Read(s => s.Odometer);

    public bool EngineRunning => Read(s => s.EngineRunning);

    public bool IsCharging => Read(s => s.Charging.IsCharging);

    /// <summary>The charging state as reported (C7): charging, not_charging, complete, waiting_for_deferred_start, error.</summary>
    public string ChargingState => Read(s => s.Charging.State);

    /// <summary>Target state of charge, %.</summary>
    public double ChargeLimit => Read(s => s.Charging.Limit);

    /// <summary>Charging power now, W.</summary>
    public double ChargingPower => Read(s => s.Charging.PowerW);

    public int ChargeTimers => Read(s => s.Charging.Timers.Count);

    public int ClimateTimers => Read(s => s.Climate.Timers.Count);

    public bool IsClimatising => Read(s => s.Climate.Active);

    /// <summary>°C.</summary>
    public double CabinTemperature => Read(s => s.Climate.CabinTemperature);

    public bool IsLocked => Read(s => s.Locked);

    public bool IsDoorOpen(Door door) => Read(s => s.IsDoorOpen(door));

    /// <summary>Every frame the car received, in order (needs <see cref="SimulatedVehicleOptions.RecordReceivedFrames"/>).</summary>
    public ChannelReader<ReceivedFrame> ReceivedFrames =>
        _received?.Reader ?? throw new InvalidOperationException("Set SimulatedVehicleOptions.RecordReceivedFrames to read received frames.");

    /// <summary>Completes when the car is connected and welcomed (at once if it is).</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_connection is { Welcomed: true })
            {
                return Task.CompletedTask;
            }
            _connected ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _connected.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Completes when the server has acked every frame the car has queued so far (at once if none is pending).</summary>
    public Task WaitUntilAllAckedAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_buffer.Count == 0)
            {
                return Task.CompletedTask;
            }
            _allAcked ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _allAcked.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Reads <see cref="ReceivedFrames"/> until a frame matches and returns it; frames before it are consumed.
    /// E.g. <c>await car.WaitForFrameAsync(e => e.PairingCode is not null, ct)</c>.
    /// </summary>
    public async Task<ReceivedFrame> WaitForFrameAsync(Func<Envelope, bool> predicate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var reader = ReceivedFrames;
        while (true)
        {
            var frame = await reader.ReadAsync(cancellationToken);
            if (predicate(frame.Envelope))
            {
                return frame;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        _received?.Writer.TryComplete();
    }

    private T Read<T>(Func<VehicleState, T> read)
    {
        lock (_gate)
        {
            return read(_state);
        }
    }

    /// <summary>Whether the privacy switches and the active packages let the car send for a service. Under the lock.</summary>
    private bool MaySend(string service) =>
        !_privacy.PrivateMode && ServiceIds.IsSwitchedOn(service, _privacy) && (_activeServices is null || _activeServices.Contains(service));

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private void Log(string message) => _options.Log?.WriteLine($"{Vin}: {message}");
}
