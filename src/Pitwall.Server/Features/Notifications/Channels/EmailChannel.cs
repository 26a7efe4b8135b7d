using System.Net;
using System.Net.Mail;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The <c>email</c> channel: a plain-text message through the configured SMTP relay, subject = title, with a
/// <c>Message-ID</c> derived from the delivery id so that a resend is recognisable. Uses
/// <see cref="SmtpClient"/>: for one plain-text message to one recipient through one relay it does what is needed
/// (STARTTLS that must succeed, AUTH LOGIN, the reply code of a refusal), and MailKit is not available here. Its limits:
/// no implicit TLS (port 465), and it stamps the <c>Date</c> header from the system clock itself.
/// </summary>
public sealed class EmailChannel(IOptions<NotificationChannelOptions> options, ILogger<EmailChannel> logger) : INotificationChannel
{
    private readonly SmtpOptions _options = options.Value.Smtp;

    public string Name => NotificationChannels.Email;

    public bool IsConfigured => _options.IsSet;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken) =>
        ChannelLog.Record(logger, Name, message.Id, await DeliverAsync(message, cancellationToken));

    private async Task<DeliveryOutcome> DeliverAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return new DeliveryOutcome.Failed("e-mail is not configured");
        }
        if (!message.IsFor(NotificationProcessors.EmailRelay))
        {
            return new DeliveryOutcome.Failed("not released for the e-mail relay");
        }
        if (!MailAddress.TryCreate(message.Address, out var to))
        {
            return new DeliveryOutcome.Failed("not an e-mail address");
        }
        if (!MailAddress.TryCreate(_options.From, out var from))
        {
            return new DeliveryOutcome.Failed("Smtp:From is not an e-mail address");
        }
        // P4: only what the processor gateway released for the relay (address, title, text, our id).
        using var mail = new MailMessage(from, to)
        {
            Subject = OneLine(message.Title),
            Body = message.Body.ReplaceLineEndings("\r\n"),
            // UTF-8 goes as base64: SmtpClient's quoted-printable would encode the line breaks themselves (=0D=0A).
            IsBodyHtml = false,
            SubjectEncoding = Encoding.UTF8,
            BodyEncoding = Encoding.UTF8,
            HeadersEncoding = Encoding.UTF8,
        };
        var messageId = MessageId(message.Id, from.Host);
        mail.Headers.Add("Message-ID", messageId);
        // RFC 3834: an automatic message; auto-responders should not answer it.
        mail.Headers.Add("Auto-Submitted", "auto-generated");

        using var client = new SmtpClient(_options.Host, _options.Port)
        {
            DeliveryMethod = SmtpDeliveryMethod.Network,
            EnableSsl = _options.StartTls,
            UseDefaultCredentials = false,
            Credentials = string.IsNullOrEmpty(_options.UserName) ? null : new NetworkCredential(_options.UserName, _options.Password),
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        try
        {
            await client.SendMailAsync(mail, timeout.Token);
            return new DeliveryOutcome.Delivered(messageId);
        }
        catch (SmtpException e)
        {
            // The reply's text may quote the recipient's address, so only its code goes into the reason.
            return Outcome(e);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome.Retry("SMTP relay timed out");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException or System.Security.Authentication.AuthenticationException)
        {
            return new DeliveryOutcome.Retry($"SMTP relay unreachable ({e.GetType().Name})");
        }
    }

    private DeliveryOutcome Outcome(SmtpException e)
    {
        var code = (int)e.StatusCode;
        if (code is 530 or 534 or 535 or 538)
        {
            // Authentication required or refused: the relay's configuration is wrong, not the message.
            var refused = $"SMTP relay refused authentication ({code})";
            ChannelLog.CredentialsRefused(logger, "SMTP relay", refused);
            return new DeliveryOutcome.Retry(refused);
        }
        return code switch
        {
            >= 400 and < 500 => new DeliveryOutcome.Retry($"SMTP relay answered {code} (temporary)"),
            >= 500 and < 600 => new DeliveryOutcome.Failed($"SMTP relay answered {code}"),
            // No reply code: the connection failed or broke off.
            _ => new DeliveryOutcome.Retry($"SMTP relay unreachable ({e.InnerException?.GetType().Name ?? e.StatusCode.ToString()})"),
        };
    }

    /// <summary>
    /// <c>&lt;id@domain&gt;</c> with the delivery id when it is a valid msg-id left part (RFC 5322 dot-atom), else a
    /// hash of it; the same delivery always gets the same Message-ID.
    /// </summary>
    public static string MessageId(string id, string domain)
    {
        var left = IsDotAtom(id) ? id : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)))[..32];
        return $"<{left}@{(IsDotAtom(domain) ? domain : "pitwall.invalid")}>";
    }

    private static bool IsDotAtom(string text) =>
        text.Length is > 0 and <= 128 && text[0] != '.' && text[^1] != '.' && !text.Contains("..", StringComparison.Ordinal) &&
        text.All(c => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal));

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
