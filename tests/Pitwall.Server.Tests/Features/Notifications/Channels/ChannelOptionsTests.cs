using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Notifications.Channels;

namespace Pitwall.Server.Tests.Features.Notifications.Channels;

/// <summary>Registration and start-up validation of <c>Pitwall:Notifications:Channels</c>.</summary>
public sealed class ChannelOptionsTests
{
    [Fact]
    public async Task Without_configuration_every_channel_is_registered_and_only_webhooks_are_configured()
    {
        using var host = ChannelHost.Start();
        Assert.Equal(["email", "push", "sms", "webhook"], host.Get<IEnumerable<INotificationChannel>>().Select(c => c.Name).Order());
        Assert.False(host.Channel(NotificationChannels.Push).IsConfigured);
        Assert.False(host.Channel(NotificationChannels.Sms).IsConfigured);
        Assert.False(host.Channel(NotificationChannels.Email).IsConfigured);
        Assert.True(host.Channel(NotificationChannels.Webhook).IsConfigured);
        var message = TestMessages.For(NotificationProcessors.EmailRelay, "d-1", "charging.error", "t", "b", DateTimeOffset.UnixEpoch, "a@example.com", PushPlatforms.Fcm);
        Assert.IsType<DeliveryOutcome.Failed>(await host.Channel(NotificationChannels.Email).SendAsync(message, CancellationToken.None));
        Assert.IsType<DeliveryOutcome.Failed>(await host.Channel(NotificationChannels.Push).SendAsync(message, CancellationToken.None));
    }

    [Theory]
    [InlineData("Fcm:ProjectId", "p", "Fcm needs service account credentials")]
    [InlineData("Fcm:CredentialsFile", "/nonexistent/key.json", "Fcm:CredentialsFile cannot be read")]
    [InlineData("Apns:Topic", "com.example.app", "Apns:TeamId is missing")]
    [InlineData("Sms:Url", "not a url", "Sms:Url must be an absolute http(s) URL")]
    [InlineData("Smtp:Host", "smtp.example.com", "Smtp:From must be an e-mail address")]
    [InlineData("Webhooks:Timeout", "00:00:00", "Webhooks:Timeout must be more than zero")]
    public void An_incomplete_provider_stops_the_start_with_a_message_naming_the_setting(string key, string value, string message)
    {
        var failure = Assert.Throws<OptionsValidationException>(() => ChannelHost.Start((key, value)));
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_must_be_usable()
    {
        var fcm = Assert.Throws<OptionsValidationException>(() => ChannelHost.Start(
            ("Fcm:ProjectId", "p"), ("Fcm:ClientEmail", "a@b.iam.gserviceaccount.com"), ("Fcm:PrivateKey", TestKeys.ApnsPem)));
        Assert.Contains("Fcm:PrivateKey is not an RSA private key", fcm.Message, StringComparison.Ordinal);
        var apns = Assert.Throws<OptionsValidationException>(() => ChannelHost.Start(
            ("Apns:TeamId", "T"), ("Apns:KeyId", "K"), ("Apns:Topic", "com.example.app"), ("Apns:PrivateKey", TestKeys.ServiceAccountPem)));
        Assert.Contains("Apns:PrivateKey is not an ES256", apns.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", fcm.Message + apns.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smtp_credentials_need_starttls_unless_the_relay_is_on_loopback()
    {
        var clear = Assert.Throws<OptionsValidationException>(() => ChannelHost.Start(
            ("Smtp:Host", "smtp.example.com"), ("Smtp:From", "noreply@example.com"), ("Smtp:UserName", "u"), ("Smtp:Password", "p"), ("Smtp:StartTls", "false")));
        Assert.Contains("StartTls must be on", clear.Message, StringComparison.Ordinal);
        using var local = ChannelHost.Start(
            ("Smtp:Host", "127.0.0.1"), ("Smtp:Port", "25"), ("Smtp:From", "noreply@example.com"), ("Smtp:UserName", "u"), ("Smtp:Password", "p"), ("Smtp:StartTls", "false"));
        Assert.True(local.Channel(NotificationChannels.Email).IsConfigured);
    }
}
