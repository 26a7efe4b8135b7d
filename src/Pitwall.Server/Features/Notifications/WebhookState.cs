using System.Net;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Features.Notifications;

/// <summary>How a webhook subscription is doing: <c>active</c>, <c>failing</c> (its latest <see cref="FailingAfter"/> or more
/// delivery attempts in a row went wrong, the last with <paramref name="LastError"/>, since <paramref name="FailingSince"/>)
/// or <c>stopped</c> (the receiver answered 410 Gone).</summary>
public sealed record WebhookState(string State, string? LastError, DateTimeOffset? FailingSince)
{
    public const string Active = "active";
    public const string Failing = "failing";
    public const string Stopped = "stopped";

    /// <summary>Failed attempts in a row that make a webhook failing: one failure is a hiccup, three a pattern.</summary>
    public const int FailingAfter = 3;

    /// <param name="attempts">The webhook's latest attempted deliveries, newest first.</param>
    public static WebhookState Of(WebhookSubscription webhook, IEnumerable<WebhookAttempt> attempts)
    {
        if (!webhook.Active)
        {
            return new(Stopped, null, null);
        }
        var failed = attempts.TakeWhile(a => !a.Delivered).ToList();
        return failed.Sum(a => a.Attempts) >= FailingAfter
            ? new(Failing, failed[0].LastError, failed[^1].At)
            : new(Active, null, null);
    }
}

/// <summary>One delivery to a webhook that was tried at least once.</summary>
public sealed record WebhookAttempt(string WebhookId, bool Delivered, int Attempts, string? LastError, DateTimeOffset At);

/// <summary>What a webhook may point at, from the webhook channel's settings (private networks are for tests and closed set-ups).</summary>
public sealed class WebhookUrlPolicy(bool AllowPrivateNetworks)
{
    /// <summary>
    /// Why a webhook URL is refused before it is stored, in what the user can change: https to a host on the internet
    /// (with private networks allowed, also http and hosts inside them). What a host name resolves to is checked again on
    /// every delivery (<see cref="WebhookTargets"/>); here only what the URL itself says.
    /// </summary>
    public string? Refusal(Uri url)
    {
        if (url.Scheme != Uri.UriSchemeHttps && !(AllowPrivateNetworks && url.Scheme == Uri.UriSchemeHttp))
        {
            return "The URL must start with https://.";
        }
        if (!string.IsNullOrEmpty(url.UserInfo))
        {
            return "The URL must not contain a user name or password.";
        }
        var host = url.DnsSafeHost.Trim('[', ']');
        var isPublic = IPAddress.TryParse(host, out var address)
            ? WebhookTargets.Refusal(address, AllowPrivateNetworks) is null
            : AllowPrivateNetworks || (host.Contains('.') && !host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
                && !host.EndsWith(".local", StringComparison.OrdinalIgnoreCase) && !host.EndsWith(".internal", StringComparison.OrdinalIgnoreCase));
        return isPublic ? null : "The host must be reachable on the internet: not a local, private or special address.";
    }
}
