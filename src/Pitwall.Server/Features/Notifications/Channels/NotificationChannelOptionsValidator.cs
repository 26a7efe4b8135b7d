using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>Start-up check of <see cref="NotificationChannelOptions"/>: a provider is either left out or complete and usable.</summary>
internal sealed class NotificationChannelOptionsValidator : IValidateOptions<NotificationChannelOptions>
{
    private const string Section = NotificationChannelOptions.Section;
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromMinutes(5);

    public ValidateOptionsResult Validate(string? name, NotificationChannelOptions options)
    {
        var errors = new List<string>();
        if (options.Fcm.IsSet)
        {
            Check(errors, () => ChannelCredentials.LoadFcm(options.Fcm).Key.Dispose());
            Check(errors, () => ChannelCredentials.Url(options.Fcm.BaseUrl, $"{Section}:Fcm:BaseUrl"));
            Timeout(errors, options.Fcm.Timeout, "Fcm");
        }
        if (options.Apns.IsSet)
        {
            Required(errors, options.Apns.TeamId, "Apns:TeamId");
            Required(errors, options.Apns.KeyId, "Apns:KeyId");
            Required(errors, options.Apns.Topic, "Apns:Topic");
            Check(errors, () => ChannelCredentials.LoadApnsKey(options.Apns).Dispose());
            Check(errors, () => ChannelCredentials.Url(options.Apns.BaseUrl, $"{Section}:Apns:BaseUrl"));
            if (options.Apns.Priority is not (1 or 5 or 10))
            {
                errors.Add($"{Section}:Apns:Priority must be 10, 5 or 1.");
            }
            Timeout(errors, options.Apns.Timeout, "Apns");
        }
        if (options.Sms.IsSet)
        {
            Check(errors, () => ChannelCredentials.Url(options.Sms.Url, $"{Section}:Sms:Url"));
            Required(errors, options.Sms.ApiKey, "Sms:ApiKey");
            Timeout(errors, options.Sms.Timeout, "Sms");
        }
        if (options.Smtp.IsSet)
        {
            ValidateSmtp(errors, options.Smtp);
        }
        Timeout(errors, options.Webhooks.Timeout, "Webhooks");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateSmtp(List<string> errors, SmtpOptions smtp)
    {
        Required(errors, smtp.Host, "Smtp:Host");
        if (smtp.Port is < 1 or > 65535)
        {
            errors.Add($"{Section}:Smtp:Port must be between 1 and 65535.");
        }
        if (!MailAddress.TryCreate(smtp.From, out _))
        {
            errors.Add($"{Section}:Smtp:From must be an e-mail address (optionally \"Name <address>\").");
        }
        if (!string.IsNullOrEmpty(smtp.UserName) && string.IsNullOrEmpty(smtp.Password))
        {
            errors.Add($"{Section}:Smtp:Password is missing for Smtp:UserName.");
        }
        var loopback = smtp.Host is "localhost" || (IPAddress.TryParse(smtp.Host, out var address) && IPAddress.IsLoopback(address));
        if (!string.IsNullOrEmpty(smtp.UserName) && !smtp.UsesTls && !loopback)
        {
            errors.Add($"{Section}:Smtp:StartTls must be on (or Smtp:ImplicitTls) when credentials are set: they would cross the network in clear.");
        }
        if (!string.IsNullOrWhiteSpace(smtp.TrustedCertificateFile))
        {
            Check(errors, () => SmtpCertificates.Load(smtp.TrustedCertificateFile));
        }
        Timeout(errors, smtp.Timeout, "Smtp");
    }

    private static void Check(List<string> errors, Action check)
    {
        try
        {
            check();
        }
        catch (ChannelConfigurationException e)
        {
            errors.Add(e.Message);
        }
    }

    private static void Required(List<string> errors, string? value, string setting)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add($"{Section}:{setting} is missing.");
        }
    }

    private static void Timeout(List<string> errors, TimeSpan value, string provider)
    {
        if (value <= TimeSpan.Zero || value > LongestTimeout)
        {
            errors.Add($"{Section}:{provider}:Timeout must be more than zero and at most 5 minutes.");
        }
    }
}
