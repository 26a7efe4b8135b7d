using System.Globalization;

namespace Pitwall.Server.Hosting;

/// <summary>Validation errors by field, in the shape of <c>HttpValidationProblemDetails.errors</c>; each message keeps the
/// wording it was written from, so that the portal can show it in the reader's language.</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<Wording>> _byField = new(StringComparer.Ordinal);

    public bool Any => _byField.Count > 0;

    public void Add(string field, string message) => Add(field, new Wording(message, []));

    /// <summary>A message with numbers or names in it: <paramref name="text"/> has <c>{0}</c>-style placeholders (the portal's
    /// text key), the API reads it filled in.</summary>
    public void Add(string field, string text, params object[] arguments) => Add(field, new Wording(text, arguments));

    private void Add(string field, Wording message)
    {
        if (!_byField.TryGetValue(field, out var messages))
        {
            _byField[field] = messages = [];
        }
        messages.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() =>
        _byField.ToDictionary(p => p.Key, p => p.Value.Select(w => w.English).ToArray(), StringComparer.Ordinal);

    /// <summary>The messages by field as they were written (text key and arguments), for the portal's localizer.</summary>
    public IEnumerable<(string Field, Wording Message)> Wordings() => _byField.SelectMany(p => p.Value.Select(w => (p.Key, w)));
}

/// <summary>A sentence as a text key with <c>{0}</c>-style placeholders and its arguments: the API reads it in English
/// (<see cref="English"/>), the portal through its localizer (<c>t[Text, Arguments]</c>).</summary>
public sealed record Wording(string Text, object[] Arguments)
{
    public string English => Arguments.Length == 0 ? Text : string.Format(CultureInfo.InvariantCulture, Text, Arguments);
}
