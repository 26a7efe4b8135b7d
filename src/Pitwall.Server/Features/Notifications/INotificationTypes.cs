namespace Pitwall.Server.Features.Notifications;

/// <summary>Every kind of notification the platform sends, as the features registered them; preferences, webhooks, the
/// portal's lists and the outbox name these ids.</summary>
public interface INotificationTypes
{
    /// <summary>The types in the order users see them: by the features' <c>order</c>, then as each feature listed them.</summary>
    IReadOnlyList<NotificationType> All { get; }

    NotificationType? Find(string id);
}

/// <summary>One feature's notification types.</summary>
/// <param name="Order">Where the feature's types stand in the users' lists, relative to the other features'.</param>
internal sealed record NotificationTypeRegistration(int Order, IReadOnlyList<NotificationType> Types);

public static class NotificationTypeServiceCollectionExtensions
{
    /// <summary>A feature declares the notifications it sends next to its other registrations.</summary>
    public static IServiceCollection AddNotificationTypes(this IServiceCollection services, int order, params IReadOnlyList<NotificationType> types) =>
        services.AddSingleton(new NotificationTypeRegistration(order, types));
}

/// <summary>Collects the features' registrations; two features naming the same id is a bug caught at start-up.</summary>
internal sealed class NotificationTypeRegistry : INotificationTypes
{
    private readonly Dictionary<string, NotificationType> byId;

    public NotificationTypeRegistry(IEnumerable<NotificationTypeRegistration> registrations)
    {
        All = [.. registrations.OrderBy(r => r.Order).SelectMany(r => r.Types)];
        var duplicate = All.GroupBy(t => t.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"The notification type '{duplicate.Key}' is registered twice.");
        }
        byId = All.ToDictionary(t => t.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<NotificationType> All { get; }

    public NotificationType? Find(string id) => byId.GetValueOrDefault(id);
}
