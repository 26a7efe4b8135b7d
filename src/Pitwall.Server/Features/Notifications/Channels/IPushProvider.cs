namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>The push platforms a device token can belong to (<see cref="OutgoingMessage.Platform"/>).</summary>
internal static class PushPlatforms
{
    /// <summary>Firebase Cloud Messaging: Android, and iOS apps that use Firebase.</summary>
    public const string Fcm = "fcm";

    /// <summary>Apple Push Notification service.</summary>
    public const string Apns = "apns";
}

/// <summary>One push provider behind the <c>push</c> channel, which picks it by the message's platform.</summary>
internal interface IPushProvider
{
    /// <summary>A <see cref="PushPlatforms"/> name.</summary>
    string Platform { get; }

    bool IsConfigured { get; }

    /// <summary>Sends title, body, message id and type to the device token in <see cref="OutgoingMessage.Address"/>; never the VIN.
    /// Called only when <see cref="IsConfigured"/> (the push channel refuses an unconfigured provider itself).</summary>
    Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken);
}
