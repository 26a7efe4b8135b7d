using Google.Protobuf.Collections;
using Microsoft.Extensions.Options;
using Pitwall.Protocol;
using Pitwall.Protocol.V1;

namespace Pitwall.Server.Gateway.Validation;

/// <summary>
/// The gate every car message passes before any handler sees it (content that parses is not yet trusted): every number
/// finite and within its physical range, every time near the platform's clock, every string and list bounded. A value
/// out of range is dropped — a status value is kept as <c>out_of_range</c> so the API can say so — and a message that
/// cannot be made sane is refused. The message is fixed in place, so handlers only ever see sane content. A feature that owns
/// a message kind checks it here through its <see cref="ICarMessageCheck"/>.
/// </summary>
public sealed partial class CarMessageValidator(IOptions<GatewayOptions> options, IEnumerable<ICarMessageCheck> featureChecks)
{
    public const int MaxIdLength = 64;
    public const int MaxTextLength = 256;
    public const int MaxValuesPerReport = 256;
    public const int MaxListEntries = 64;

    private readonly GatewayOptions _options = options.Value;
    private readonly Dictionary<Envelope.PayloadOneofCase, ICarMessageCheck> _featureChecks = featureChecks.ToDictionary(c => c.Checks);

    /// <summary>Checks and, where it can, repairs a sequenced message from the car; <paramref name="receivedAt"/> is the platform's clock.</summary>
    public ContentVerdict Check(Envelope envelope, DateTimeOffset receivedAt)
    {
        var window = new TimeWindow(receivedAt, _options);
        return envelope.PayloadCase switch
        {
            Envelope.PayloadOneofCase.StatusReport => CheckStatus(envelope.StatusReport, window),
            Envelope.PayloadOneofCase.AlarmEvent => CheckAlarm(envelope.AlarmEvent, window),
            Envelope.PayloadOneofCase.TripStatistics => CheckTrip(envelope.TripStatistics, window),
            Envelope.PayloadOneofCase.GeofenceEvent => CheckGeofence(envelope.GeofenceEvent, window),
            Envelope.PayloadOneofCase.ValetEvent => CheckValet(envelope.ValetEvent, window),
            Envelope.PayloadOneofCase.TheftTracking => CheckTheft(envelope.TheftTracking, window),
            Envelope.PayloadOneofCase.HealthCheck => CheckHealth(envelope.HealthCheck, window),
            Envelope.PayloadOneofCase.CommandResult => CheckCommandResult(envelope.CommandResult),
            var other when _featureChecks.TryGetValue(other, out var check) => check.Check(envelope, new CarClock(window.EarliestMs, window.LatestMs)),
            _ => default,
        };
    }

    /// <summary>The hello is not sequenced; it is refused (never repaired) when a list or string in it is unbounded.</summary>
    public static string? CheckHello(Hello hello) =>
        hello.Software.Count > MaxListEntries || hello.SupportedSignals.Count > 4 * MaxValuesPerReport ? RefusalReasons.TooManyEntries
        : hello.Software.Any(s => s.Component.Length > MaxIdLength || s.Version.Length > MaxIdLength) ? RefusalReasons.FieldTooLong
        : CheckPrivacy(hello.Privacy);

    private static ContentVerdict CheckStatus(StatusReport report, TimeWindow window)
    {
        if (report.Values.Count > MaxValuesPerReport)
        {
            return ContentVerdict.Refuse(RefusalReasons.TooManyEntries);
        }
        if (report.RequestId.Length > MaxIdLength)
        {
            return ContentVerdict.Refuse(RefusalReasons.FieldTooLong);
        }
        if (CheckPrivacy(report.Privacy) is { } privacy)
        {
            return ContentVerdict.Refuse(privacy);
        }
        var dropped = 0;
        var values = report.Values;
        for (var i = 0; i < values.Count; i++) // by index: a RepeatedField's enumerator is an iterator object per report
        {
            var value = values[i];
            if (SignalCatalog.Find(value.Id) is not { } signal)
            {
                continue; // a newer car's signal: handlers ignore what the catalogue does not know
            }
            if (!window.Contains(value.RecordedAtMs))
            {
                // An impossible time would pin the value for good (later reports would look older): mark it as of now.
                value.RecordedAtMs = window.ReceivedAtMs;
                value.Unavailable = SignalValues.OutOfRange;
                dropped++;
            }
            else if (!signal.IsPlausible(value))
            {
                value.Unavailable = SignalValues.OutOfRange;
                dropped++;
            }
        }
        return new ContentVerdict(null, dropped);
    }

    private static string? CheckPrivacy(PrivacySettings? privacy) =>
        privacy is null || privacy.IsBounded(MaxListEntries, MaxIdLength) ? null : RefusalReasons.TooManyEntries;

    private static ContentVerdict CheckCommandResult(CommandResult result) =>
        result.CommandId.Length > MaxIdLength || result.Reason.Length > MaxTextLength ? ContentVerdict.Refuse(RefusalReasons.FieldTooLong) : default;

    private static bool TooLong(string text) => text.Length > MaxIdLength;

    private static bool TooMany<T>(RepeatedField<T> list) => list.Count > MaxListEntries;

    /// <summary>The times a car may plausibly report, around the platform's clock when the message arrived.</summary>
    private readonly struct TimeWindow(DateTimeOffset receivedAt, GatewayOptions options)
    {
        public long EarliestMs { get; } = options.EarliestCarTime.ToUnixTimeMilliseconds();

        public long LatestMs { get; } = receivedAt.Add(options.MaxCarClockAhead).ToUnixTimeMilliseconds();

        public long ReceivedAtMs { get; } = receivedAt.ToUnixTimeMilliseconds();

        public bool Contains(long ms) => ms >= EarliestMs && ms <= LatestMs;

        /// <summary>For the optional times of events, where 0 means "not sent" (the handler takes the arrival time).</summary>
        public bool ContainsOrUnset(long ms) => ms == 0 || Contains(ms);
    }
}
