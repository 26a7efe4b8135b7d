using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Web;

namespace Pitwall.Server.Features.Notifications;

/// <summary>Who reads a notification: the language its words are in and the time zone of its times.</summary>
public readonly record struct NotificationReader(CultureInfo Culture, TimeZoneInfo Zone)
{
    /// <summary>What is stored as <c>notifications.message</c> and written to logs: English, UTC.</summary>
    public static readonly NotificationReader English = new(CultureInfo.GetCultureInfo("en"), TimeZoneInfo.Utc);

    /// <param name="language">A locale (<c>de-AT</c>) or language; one the portal does not speak reads English.</param>
    /// <param name="zone">An IANA time zone; none or an unknown one reads UTC.</param>
    public static NotificationReader Of(string? language, string? zone) =>
        new(CultureInfo.GetCultureInfo(Language(language) ?? "en"), PortalTime.FindZone(zone) ?? TimeZoneInfo.Utc);

    /// <summary>What is sent to an account (e-mail, push, SMS, webhook, its live events) is in its language and time zone.</summary>
    public static NotificationReader Of(Account? account) => Of(account?.Locale, account?.TimeZone);

    /// <summary>The portal's language of a locale, or null.</summary>
    public static string? Language(string? locale) =>
        locale?.Split('-')[0].Trim().ToLowerInvariant() is { } language && WebModule.Cultures.Contains(language) ? language : null;
}

/// <summary>
/// Renders a notification's template in a reader's language and time zone from the texts the features added to the portal's
/// localizer. A row written before templates existed (or naming a template no feature registers any more) reads as its
/// stored English message.
/// </summary>
public sealed partial class NotificationRenderer(IPortalTextCatalogue texts)
{
    public string Render(NotificationText text, NotificationReader reader) =>
        text.Template.Length == 0 ? text.Fixed ?? "" : Render(text.Template, text.ArgsJson(), text.Fixed ?? text.Template, reader);

    /// <param name="stored">The stored message, read when there is no template.</param>
    public string Render(string? template, string? args, string stored, NotificationReader reader)
    {
        if (string.IsNullOrEmpty(template) || !texts.TextsIn(reader.Culture).TryGetValue(template, out var pattern))
        {
            return stored;
        }
        using var values = JsonDocument.Parse(string.IsNullOrEmpty(args) ? "{}" : args);
        var root = values.RootElement;
        return Placeholder().Replace(pattern, m => root.ValueKind == JsonValueKind.Object && root.TryGetProperty(m.Groups["name"].Value, out var value)
            ? Format(value, m.Groups["kind"].Value, reader)
            : m.Value);
    }

    /// <summary>The type's title in the reader's language (push and e-mail headings, the API's <c>title</c>).</summary>
    public string Title(NotificationType? type, string id, NotificationReader reader) =>
        type is null ? id : texts.TextsIn(reader.Culture).GetValueOrDefault(type.Title, type.Title);

    private string Format(JsonElement value, string kind, NotificationReader reader)
    {
        var raw = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        switch (kind)
        {
            case "date" or "datetime" or "time" when DateTimeOffset.TryParse(raw, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at):
                return kind switch
                {
                    "date" => PortalTime.Day(at, reader.Zone),
                    "time" => PortalTime.TimeOfDay(at, reader.Zone),
                    _ => PortalTime.When(at, reader.Zone, seconds: false),
                };
            case "n0" or "n1" or "n2" when decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var number):
                return number.ToString(kind switch { "n0" => "#,0", "n1" => "#,0.0", _ => "#,0.00" }, PortalTime.NumbersOf(reader.Culture));
            case "text":
                return texts.TextsIn(reader.Culture).GetValueOrDefault(raw, raw);
            default:
                return raw;
        }
    }

    /// <summary>The placeholders of a template: <c>{name}</c> or <c>{name:kind}</c>.</summary>
    public static IEnumerable<string> Placeholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Value).Distinct().Order(StringComparer.Ordinal);

    [GeneratedRegex(@"\{(?<name>[A-Za-z]\w*)(?::(?<kind>date|datetime|time|n0|n1|n2|text))?\}")]
    private static partial Regex Placeholder();
}
