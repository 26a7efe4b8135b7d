using System.Text.Json;

namespace Pitwall.Server.Features.Notifications;

/// <summary>
/// One sentence a feature sends, in its words in every language: the key of a text in the feature's resx files
/// (<c>Feature/FeatureText.resx</c> English, <c>.de.resx</c>, <c>.fr.resx</c>), e.g. <c>notification:contract.renews</c>
/// = "{package} renews on {endsAt:date}.". The feature registers it (<see cref="NotificationTemplateServiceCollectionExtensions.AddNotificationTemplates"/>).
/// </summary>
/// <remarks>
/// Placeholders name an argument and how the reader sees it: <c>{name}</c> as it is (a package's or area's name);
/// <c>{name:date}</c> the day and <c>{name:datetime}</c> the day and time, <c>{name:time}</c> the time of day, each in the
/// reader's time zone; <c>{name:n0}</c>, <c>{name:n1}</c>, <c>{name:n2}</c> a number with the reader's decimal comma or point;
/// <c>{name:text}</c> a text key translated too (e.g. an alarm's cause).
/// </remarks>
public sealed record NotificationTemplate(string Key);

/// <summary>A notification's words: a registered template and the values of its placeholders, rendered when read in the
/// reader's language and time zone (inbox, API, e-mail, push, SMS, webhook).</summary>
/// <param name="Template">The template's key; empty for a fixed text (<see cref="Verbatim"/>).</param>
/// <param name="Args">Strings, numbers and times (<see cref="DateTimeOffset"/>), by placeholder name.</param>
/// <param name="Fixed">The text of a <see cref="Verbatim"/> notification.</param>
public sealed record NotificationText(string Template, IReadOnlyDictionary<string, object> Args, string? Fixed = null)
{
    public static NotificationText Of(NotificationTemplate template, params (string Name, object Value)[] args) =>
        new(template.Key, args.ToDictionary(a => a.Name, a => a.Value, StringComparer.Ordinal));

    /// <summary>A text that reads the same in every language (tests; features use templates).</summary>
    public static NotificationText Verbatim(string text) => new("", new Dictionary<string, object>(), text);

    /// <summary>The arguments as stored (<c>notifications.args</c>): a JSON object; times as ISO 8601.</summary>
    internal string ArgsJson() => JsonSerializer.Serialize(Args.ToDictionary(a => a.Key, a => a.Value switch
    {
        DateTimeOffset at => (object)at.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        var v => v,
    }));
}

/// <summary>One feature's notification templates.</summary>
internal sealed record NotificationTemplateRegistration(IReadOnlyList<NotificationTemplate> Templates);

public static class NotificationTemplateServiceCollectionExtensions
{
    /// <summary>A feature declares the sentences it sends next to its notification types; the texts are in the resx files the
    /// feature adds with <c>AddPortalTexts</c>.</summary>
    public static IServiceCollection AddNotificationTemplates(this IServiceCollection services, params IReadOnlyList<NotificationTemplate> templates) =>
        services.AddSingleton(new NotificationTemplateRegistration(templates));
}

/// <summary>Every template the features registered; a notification naming another is a bug.</summary>
internal sealed class NotificationTemplates(IEnumerable<NotificationTemplateRegistration> registrations)
{
    public IReadOnlySet<string> Keys { get; } = registrations.SelectMany(r => r.Templates).Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
}
