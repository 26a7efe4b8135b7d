using System.Collections;
using System.Globalization;
using Pitwall.Server.Data.Privacy;

namespace Pitwall.Server.Features.Privacy.Processors;

/// <summary>
/// What an outbound call to a processor would send, described as typed <see cref="DataElement"/>s. The caller puts in
/// everything it has; <see cref="ProcessorGateway.Release"/> decides what the processor gets.
/// </summary>
public sealed class OutboundData : IEnumerable<KeyValuePair<DataElement, string>>
{
    private readonly Dictionary<DataElement, string> _values = [];

    public IReadOnlyDictionary<DataElement, string> Values => _values;

    /// <summary>Adds (or replaces) an element; a null value is no element at all.</summary>
    public OutboundData Add(DataElement element, string? value)
    {
        if (value is not null)
        {
            _values[element] = value;
        }
        return this;
    }

    /// <summary>A time, as ISO 8601 in UTC with milliseconds.</summary>
    public OutboundData Add(DataElement element, DateTimeOffset value) =>
        Add(element, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));

    public IEnumerator<KeyValuePair<DataElement, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
