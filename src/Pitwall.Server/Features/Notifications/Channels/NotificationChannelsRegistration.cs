using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Privacy.Processors;

namespace Pitwall.Server.Features.Notifications.Channels;

internal static class NotificationChannelsRegistration
{
    /// <summary>
    /// Binds <see cref="NotificationChannelOptions"/> (<c>Pitwall:Notifications:Channels</c>, checked at start-up) and
    /// registers the push (FCM, APNs), sms, email and webhook channels as <see cref="INotificationChannel"/>.
    /// </summary>
    public static IServiceCollection AddNotificationChannels(this IServiceCollection services)
    {
        services.AddOptions<NotificationChannelOptions>().BindConfiguration(NotificationChannelOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotificationChannelOptions>, NotificationChannelOptionsValidator>());
        // P4: every message passes the processor gateway, and every client its HTTP handler (no cookies, forwarding or
        // tracing headers; a neutral User-Agent).
        services.AddProcessorGateway();

        // Every client drops IHttpClientFactory's request logging (RemoveAllLoggers): it writes the request URI, which
        // holds an APNs device token or a subscriber's webhook URL (often with a secret in it). The channels log
        // outcomes themselves, without addresses.

        services.AddHttpClient(FcmClient.HttpClientName, (sp, client) => Configure(client, Options(sp).Fcm.Timeout))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddProcessorGateway()
            .RemoveAllLoggers();
        // APNs wants long-lived HTTP/2 connections with many streams each.
        services.AddHttpClient(ApnsClient.HttpClientName, (sp, client) => Configure(client, Options(sp).Apns.Timeout))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                EnableMultipleHttp2Connections = true,
                PooledConnectionLifetime = TimeSpan.FromHours(1),
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(30),
                KeepAlivePingDelay = TimeSpan.FromMinutes(5),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddProcessorGateway()
            .RemoveAllLoggers();
        services.AddHttpClient(SmsChannel.HttpClientName, (sp, client) => Configure(client, Options(sp).Sms.Timeout))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .AddProcessorGateway()
            .RemoveAllLoggers();
        // Webhooks: no redirects, no proxy (it would connect for us, past the address check), and a connect step that
        // refuses addresses inside the server's networks.
        services.AddHttpClient(WebhookChannel.HttpClientName, (sp, client) => Configure(client, Options(sp).Webhooks.Timeout))
            .ConfigurePrimaryHttpMessageHandler(sp =>
            {
                var allowPrivate = Options(sp).Webhooks.AllowPrivateNetworkTargets;
                return new SocketsHttpHandler
                {
                    AllowAutoRedirect = false,
                    UseProxy = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    ConnectCallback = (context, cancellationToken) => WebhookTargets.ConnectAsync(context.DnsEndPoint, allowPrivate, cancellationToken),
                };
            })
            .AddProcessorGateway()
            .RemoveAllLoggers();

        services.AddSingleton(sp => new WebhookUrlPolicy(Options(sp).Webhooks.AllowPrivateNetworkTargets));

        services.TryAddSingleton<FcmClient>();
        services.TryAddSingleton<ApnsClient>();
        services.AddSingleton<IPushProvider>(sp => sp.GetRequiredService<FcmClient>());
        services.AddSingleton<IPushProvider>(sp => sp.GetRequiredService<ApnsClient>());
        services.AddSingleton<INotificationChannel, PushChannel>();
        services.AddSingleton<INotificationChannel, SmsChannel>();
        services.AddSingleton<INotificationChannel, EmailChannel>();
        services.AddSingleton<INotificationChannel, WebhookChannel>();
        return services;
    }

    private static NotificationChannelOptions Options(IServiceProvider services) =>
        services.GetRequiredService<IOptions<NotificationChannelOptions>>().Value;

    private static void Configure(HttpClient client, TimeSpan timeout) => client.Timeout = timeout;
}
