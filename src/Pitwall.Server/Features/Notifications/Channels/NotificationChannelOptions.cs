namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// <c>Pitwall:Notifications:Channels</c>: the providers behind push, SMS, e-mail and webhooks. A provider whose section is
/// left empty is not configured (its channel reports <see cref="INotificationChannel.IsConfigured"/> false); a section
/// that is filled in only in part stops the server at start-up with a message naming what is missing.
/// </summary>
internal sealed class NotificationChannelOptions
{
    public const string Section = "Pitwall:Notifications:Channels";

    public FcmOptions Fcm { get; set; } = new();

    public ApnsOptions Apns { get; set; } = new();

    public SmsOptions Sms { get; set; } = new();

    public SmtpOptions Smtp { get; set; } = new();

    public WebhookOptions Webhooks { get; set; } = new();
}

/// <summary>Firebase Cloud Messaging (HTTP v1 API) with a Google service account.</summary>
internal sealed class FcmOptions
{
    public const string DefaultTokenUri = "https://oauth2.googleapis.com/token";
    public const string DefaultBaseUrl = "https://fcm.googleapis.com";

    /// <summary>The Firebase project id; taken from the key file's <c>project_id</c> when empty.</summary>
    public string? ProjectId { get; set; }

    /// <summary>Path to the service account's JSON key file as Google issues it (<c>client_email</c>, <c>private_key</c>, …).</summary>
    public string? CredentialsFile { get; set; }

    /// <summary>The service account's e-mail address, when no key file is given.</summary>
    public string? ClientEmail { get; set; }

    /// <summary>The service account's RSA private key (PEM, <c>-----BEGIN PRIVATE KEY-----</c>), when no key file is given.</summary>
    public string? PrivateKey { get; set; }

    /// <summary>The OAuth 2.0 token endpoint; the key file's <c>token_uri</c>, else Google's.</summary>
    public string? TokenUri { get; set; }

    public string BaseUrl { get; set; } = DefaultBaseUrl;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    internal bool IsSet => !string.IsNullOrWhiteSpace(ProjectId) || !string.IsNullOrWhiteSpace(CredentialsFile) ||
        !string.IsNullOrWhiteSpace(ClientEmail) || !string.IsNullOrWhiteSpace(PrivateKey);
}

/// <summary>Apple Push Notification service with a token-based (.p8) provider key.</summary>
internal sealed class ApnsOptions
{
    public const string DefaultBaseUrl = "https://api.push.apple.com";

    /// <summary>The Apple developer team id (the provider token's <c>iss</c>).</summary>
    public string? TeamId { get; set; }

    /// <summary>The key's id (the provider token's <c>kid</c>).</summary>
    public string? KeyId { get; set; }

    /// <summary>The .p8 key's contents (PEM, ES256 on P-256).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Path to the .p8 key file, instead of <see cref="PrivateKey"/>.</summary>
    public string? PrivateKeyFile { get; set; }

    /// <summary>The app's bundle id, sent as <c>apns-topic</c>.</summary>
    public string? Topic { get; set; }

    /// <summary>Production by default; <c>https://api.sandbox.push.apple.com</c> for development builds of the app.
    /// An <c>http://</c> URL speaks cleartext HTTP/2 with prior knowledge (tests only).</summary>
    public string BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary><c>apns-priority</c>: 10 delivers at once, 5 when the device saves power.</summary>
    public int Priority { get; set; } = 10;

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    internal bool IsSet => !string.IsNullOrWhiteSpace(TeamId) || !string.IsNullOrWhiteSpace(KeyId) ||
        !string.IsNullOrWhiteSpace(PrivateKey) || !string.IsNullOrWhiteSpace(PrivateKeyFile) || !string.IsNullOrWhiteSpace(Topic);
}

/// <summary>An SMS gateway that takes <c>POST {to, text, reference}</c> as JSON with a bearer API key.</summary>
internal sealed class SmsOptions
{
    public string? Url { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>The sender id or number shown to the recipient (sent as <c>from</c>), when the gateway lets us choose.</summary>
    public string? Sender { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    internal bool IsSet => !string.IsNullOrWhiteSpace(Url) || !string.IsNullOrWhiteSpace(ApiKey) || !string.IsNullOrWhiteSpace(Sender);
}

/// <summary>An SMTP relay (submission) for e-mail.</summary>
internal sealed class SmtpOptions
{
    public string? Host { get; set; }

    /// <summary>587 (submission with STARTTLS) by default; 25 for a relay on the local network.</summary>
    public int Port { get; set; } = 587;

    /// <summary>The sender address, optionally with a display name: <c>Pitwall &lt;noreply@example.com&gt;</c>.</summary>
    public string? From { get; set; }

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>Upgrade the connection with STARTTLS before sending, and fail if the relay does not offer it (TLS is
    /// required when credentials are set, unless the relay is on loopback).</summary>
    public bool StartTls { get; set; } = true;

    /// <summary>TLS from the first byte ("implicit TLS", SMTPS), instead of STARTTLS; by default on exactly when
    /// <see cref="Port"/> is 465.</summary>
    public bool? ImplicitTls { get; set; }

    /// <summary>A PEM file with the relay's certificate or the private CA's that issued it, trusted besides the system's
    /// roots (a relay inside the company network). The relay's name must still match its certificate.</summary>
    public string? TrustedCertificateFile { get; set; }

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    internal bool IsSet => !string.IsNullOrWhiteSpace(Host) || !string.IsNullOrWhiteSpace(From);

    internal bool UsesImplicitTls => ImplicitTls ?? Port == 465;

    internal bool UsesTls => UsesImplicitTls || StartTls;
}

/// <summary>Outgoing webhooks; their URLs and secrets belong to each subscription, so the channel is always available.</summary>
internal sealed class WebhookOptions
{
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Allows webhook URLs on loopback and private networks (and plain <c>http://</c> to them). Off in production:
    /// a subscriber could otherwise make the server call services inside its own network (SSRF). Link-local addresses
    /// (cloud metadata services) are refused even then.</summary>
    public bool AllowPrivateNetworkTargets { get; set; }
}
