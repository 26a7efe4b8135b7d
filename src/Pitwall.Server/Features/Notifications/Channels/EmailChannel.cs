using System.Net.Mail;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MailKit;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using SmtpClient = MailKit.Net.Smtp.SmtpClient;
using SmtpCommandException = MailKit.Net.Smtp.SmtpCommandException;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The <c>email</c> channel: a plain-text message through the configured SMTP relay, subject = title, with a
/// <c>Message-ID</c> derived from the delivery id so that a resend is recognisable. Speaks SMTP through MailKit:
/// implicit TLS (port 465) or STARTTLS that must succeed, authentication with the best mechanism the relay offers, the
/// reply code of a refusal. One connection per message (notifications are few; a pooled connection would have to be
/// kept alive and re-authenticated).
/// </summary>
internal sealed class EmailChannel(IOptions<NotificationChannelOptions> options, TimeProvider time, ILogger<EmailChannel> logger) : INotificationChannel
{
    private readonly SmtpOptions _options = options.Value.Smtp;
    private readonly Lazy<System.Net.Security.RemoteCertificateValidationCallback?> _certificates =
        new(() => SmtpCertificates.Validation(options.Value.Smtp));

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
        var messageId = MessageId(message.Id, from.Host);
        // P4: only what the processor gateway released for the relay (address, title, text, our id).
        using var mail = Compose(message, from, to, messageId);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.Timeout);
        using var client = new SmtpClient
        {
            Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds),
            ServerCertificateValidationCallback = _certificates.Value,
        };
        try
        {
            await client.ConnectAsync(_options.Host!, _options.Port, Security, timeout.Token);
            if (!string.IsNullOrEmpty(_options.UserName))
            {
                await client.AuthenticateAsync(_options.UserName, _options.Password ?? "", timeout.Token);
            }
            await client.SendAsync(mail, timeout.Token);
        }
        catch (SmtpCommandException e)
        {
            // The reply's text may quote the recipient's address, so only its code goes into the reason.
            return Outcome((int)e.StatusCode);
        }
        catch (AuthenticationException)
        {
            return Outcome(535);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome.Retry("SMTP relay timed out");
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or SslHandshakeException or NotSupportedException or TimeoutException)
        {
            // NotSupportedException: the relay offers no STARTTLS (or no AUTH) though it must.
            return new DeliveryOutcome.Retry($"SMTP relay unreachable ({e.GetType().Name})");
        }
        await QuitAsync(client, timeout.Token);
        return new DeliveryOutcome.Delivered(messageId);
    }

    private SecureSocketOptions Security =>
        _options.UsesImplicitTls ? SecureSocketOptions.SslOnConnect
        : _options.StartTls ? SecureSocketOptions.StartTls
        : SecureSocketOptions.None;

    private MimeMessage Compose(OutgoingMessage message, MailAddress from, MailAddress to, string messageId)
    {
        var body = new TextPart(MimeKit.Text.TextFormat.Plain)
        {
            // UTF-8 text goes as base64: 7-bit on the wire whatever the relay supports, line breaks intact.
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        body.SetText(Encoding.UTF8, message.Body.ReplaceLineEndings("\r\n"));
        var mail = new MimeMessage
        {
            Subject = OneLine(message.Title),
            Date = time.GetUtcNow(),
            MessageId = messageId,
            Body = body,
        };
        mail.From.Add(new MailboxAddress(from.DisplayName, from.Address));
        mail.To.Add(new MailboxAddress(to.DisplayName, to.Address));
        // RFC 3834: an automatic message; auto-responders should not answer it.
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        return mail;
    }

    /// <summary>QUIT after the relay accepted the message: the message is delivered whether or not the relay answers.</summary>
    private static async Task QuitAsync(SmtpClient client, CancellationToken cancellationToken)
    {
        try
        {
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception e) when (e is IOException or SocketException or ProtocolException or OperationCanceledException or SmtpCommandException)
        {
            // Accepted is accepted.
        }
    }

    private DeliveryOutcome Outcome(int code)
    {
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
            _ => new DeliveryOutcome.Retry($"SMTP relay answered {code} (unexpected)"),
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
