using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// The one way data leaves the platform towards a processor (P4): <see cref="Release"/> takes what a call would send,
/// described as <see cref="DataElement"/>s, and returns only what the processor's declaration
/// (<see cref="Processor.Elements"/>, the same list the privacy register shows) allows. In the free-text elements (title,
/// text) of a processor that may not receive a VIN or a position, VINs and coordinates found in the text are redacted.
/// Each strip is counted per processor and element (meter <see cref="MeterName"/>, and <see cref="Stripped"/>) and logged as
/// one line naming the processor and the element, never the content.
/// <para>Outbound calls build their requests from <see cref="ReleasedData"/>, which only this class can create, so a
/// caller cannot skip the gateway.</para>
/// </summary>
public sealed partial class ProcessorGateway
{
    public const string MeterName = "Pitwall.Privacy.ProcessorGateway";
    public const string StrippedCounterName = "pitwall.processor_gateway.stripped";

    /// <summary>The one way to make a <see cref="ReleasedData"/>, handed over by its static constructor; only this class reaches it.</summary>
    private static Func<Processor, Dictionary<DataElement, string>, ReleasedData>? s_issue;

    private readonly ILogger<ProcessorGateway> _logger;
    private readonly Counter<long> _stripped;
    private readonly ConcurrentDictionary<(string Processor, DataElement Element, StripKind Kind), long> _counts = new();

    static ProcessorGateway() => RuntimeHelpers.RunClassConstructor(typeof(ReleasedData).TypeHandle);

    public ProcessorGateway(IMeterFactory meters, ILogger<ProcessorGateway> logger)
    {
        _logger = logger;
        _stripped = meters.Create(MeterName).CreateCounter<long>(StrippedCounterName, "{element}",
            "Data elements the processor gateway removed from outbound calls, by processor, element and kind (dropped, vin_redacted, position_redacted).");
    }

    /// <summary>
    /// What <paramref name="processor"/> may get of <paramref name="data"/>: the declared elements, with VINs and positions
    /// redacted from free text where the processor may not receive them. Everything else is dropped, counted and logged.
    /// </summary>
    public ReleasedData Release(Processor processor, OutboundData data)
    {
        ArgumentNullException.ThrowIfNull(processor);
        ArgumentNullException.ThrowIfNull(data);
        var mayVin = processor.MayReceive(DataElement.Vin);
        var mayPosition = processor.MayReceive(DataElement.Position);
        var released = new Dictionary<DataElement, string>();
        foreach (var (element, value) in data.Values)
        {
            if (!processor.MayReceive(element))
            {
                Strip(processor, element, StripKind.Dropped, 1);
                continue;
            }
            var text = value;
            if (element.IsFreeText())
            {
                if (!mayVin)
                {
                    text = TextRedaction.RedactVins(text, out var vins);
                    Strip(processor, element, StripKind.VinRedacted, vins);
                }
                if (!mayPosition)
                {
                    text = TextRedaction.RedactPositions(text, out var positions);
                    Strip(processor, element, StripKind.PositionRedacted, positions);
                }
            }
            released[element] = text;
        }
        return s_issue!(processor, released);
    }

    /// <summary>How often each processor had each element stripped, since start (the meter has the same counts).</summary>
    public IReadOnlyList<StripCount> Stripped() =>
        [.. _counts.OrderBy(c => c.Key.Processor, StringComparer.Ordinal).ThenBy(c => c.Key.Element).ThenBy(c => c.Key.Kind)
            .Select(c => new StripCount(c.Key.Processor, c.Key.Element, c.Key.Kind, c.Value))];

    /// <summary>The count of one processor, element and kind.</summary>
    public long StrippedCount(Processor processor, DataElement element, StripKind kind) =>
        _counts.TryGetValue((processor.Name, element, kind), out var count) ? count : 0;

    private void Strip(Processor processor, DataElement element, StripKind kind, int occurrences)
    {
        if (occurrences <= 0)
        {
            return;
        }
        _counts.AddOrUpdate((processor.Name, element, kind), 1, (_, n) => n + 1);
        _stripped.Add(1, new("processor", processor.Name), new("element", Tag(element)), new("kind", Tag(kind)));
        if (kind == StripKind.Dropped)
        {
            LogDropped(_logger, element, processor.Name);
        }
        else
        {
            LogRedacted(_logger, occurrences, kind == StripKind.VinRedacted ? "VIN" : "position", element, processor.Name);
        }
    }

    public static string Tag(DataElement element) => element.ToString();

    public static string Tag(StripKind kind) => kind switch
    {
        StripKind.Dropped => "dropped",
        StripKind.VinRedacted => "vin_redacted",
        _ => "position_redacted",
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Processor gateway dropped the {Element} for {Processor}: not in its declaration")]
    private static partial void LogDropped(ILogger logger, DataElement element, string processor);

    [LoggerMessage(Level = LogLevel.Information, Message = "Processor gateway redacted {Count} {What} from the {Element} for {Processor}")]
    private static partial void LogRedacted(ILogger logger, int count, string what, DataElement element, string processor);

    /// <summary>
    /// What the gateway released for one processor: the only thing an outbound call may build its request from. Only
    /// <see cref="Release"/> creates one (its constructor is private, and the one factory is handed to the gateway alone).
    /// </summary>
    public sealed class ReleasedData
    {
        private readonly Dictionary<DataElement, string> _values;

        static ReleasedData() => s_issue = (processor, values) => new ReleasedData(processor, values);

        private ReleasedData(Processor processor, Dictionary<DataElement, string> values)
        {
            Processor = processor;
            _values = values;
        }

        /// <summary>Whom this was released for; a call to another processor must not use it.</summary>
        public Processor Processor { get; }

        public IReadOnlyDictionary<DataElement, string> Values => _values;

        /// <summary>The element's released value; null when it was not offered or was dropped.</summary>
        public string? this[DataElement element] => _values.TryGetValue(element, out var value) ? value : null;

        /// <summary>A released time element (see <see cref="OutboundData.Add(DataElement, DateTimeOffset)"/>).</summary>
        public DateTimeOffset? TimeOf(DataElement element) =>
            this[element] is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
                ? time
                : null;

        public bool IsFor(Processor processor) => ReferenceEquals(Processor, processor);
    }
}

/// <summary>What the gateway did to an element.</summary>
public enum StripKind
{
    /// <summary>Not in the processor's declaration: left out.</summary>
    Dropped,

    /// <summary>VINs found in free text replaced.</summary>
    VinRedacted,

    /// <summary>Coordinates found in free text replaced.</summary>
    PositionRedacted,
}

public sealed record StripCount(string Processor, DataElement Element, StripKind Kind, long Count);
