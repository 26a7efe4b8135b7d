using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Options;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>
/// The <c>sms</c> channel: <c>POST {to, text, reference}</c> (and <c>from</c> when a sender is configured) as JSON with a
/// bearer API key to an SMS gateway. The text is the title and body in one SMS (at most 160 characters).
/// </summary>
internal sealed class SmsChannel(IHttpClientFactory http, IOptions<NotificationChannelOptions> options, TimeProvider time, ILogger<SmsChannel> logger)
    : INotificationChannel
{
    public const string HttpClientName = "pitwall.notifications.sms";
    public const int MaxLength = 160;

    private readonly SmsOptions _options = options.Value.Sms;

    public string Name => NotificationChannels.Sms;

    public bool IsConfigured => _options.IsSet;

    public async Task<DeliveryOutcome> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (!IsConfigured)
        {
            return ChannelLog.Record(logger, Name, message.Id, new DeliveryOutcome.Failed("SMS is not configured"));
        }
        if (!message.IsFor(NotificationProcessors.SmsGateway))
        {
            return ChannelLog.Record(logger, Name, message.Id, new DeliveryOutcome.Failed("not released for the SMS gateway"));
        }
        // P4: only what the processor gateway released for the SMS gateway (number, title, text, our reference).
        var payload = new Dictionary<string, string> { ["to"] = message.Address, ["text"] = Text(message.Title, message.Body), ["reference"] = message.Id };
        if (!string.IsNullOrWhiteSpace(_options.Sender))
        {
            payload["from"] = _options.Sender;
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, _options.Url) { Content = JsonContent.Create(payload) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        var outcome = await ChannelHttp.ExchangeAsync(http.CreateClient(HttpClientName), request, "SMS gateway", async (response, deadline) =>
        {
            if (response.IsSuccessStatusCode)
            {
                var body = await ChannelHttp.JsonBodyAsync(response, deadline);
                return new DeliveryOutcome.Delivered(ChannelHttp.Text(body, "id"));
            }
            var reason = $"SMS gateway answered {ChannelHttp.Status(response)}";
            return ChannelHttp.IsTransient(response.StatusCode)
                ? new DeliveryOutcome.Retry(reason, ChannelHttp.RetryAfter(response, time))
                : new DeliveryOutcome.Failed(reason);
        }, cancellationToken);
        return ChannelLog.Record(logger, Name, message.Id, outcome);
    }

    /// <summary>
    /// "Title: body" in at most <see cref="MaxLength"/> characters. A longer text is cut after the last whole word that
    /// fits and ends in "..." (plain dots: an ellipsis character would switch the SMS to UCS-2 and 70 characters);
    /// a character is never cut in half.
    /// </summary>
    public static string Text(string title, string body)
    {
        var text = Squash(string.IsNullOrWhiteSpace(body) ? title : string.IsNullOrWhiteSpace(title) ? body : $"{title.Trim()}: {body.Trim()}");
        if (text.Length <= MaxLength)
        {
            return text;
        }
        const string more = "...";
        var room = MaxLength - more.Length;
        // Whole text elements (a surrogate pair or a letter with its accents) only.
        var cut = 0;
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext() && enumerator.ElementIndex + enumerator.GetTextElement().Length <= room)
        {
            cut = enumerator.ElementIndex + enumerator.GetTextElement().Length;
        }
        var space = text.LastIndexOf(' ', Math.Max(cut - 1, 0));
        if (space > room / 2 && space < cut)
        {
            cut = space;
        }
        return text[..cut].TrimEnd(' ', ',', ';', ':', '.', '-') + more;
    }

    /// <summary>One line: an SMS has no use for line breaks and runs of spaces.</summary>
    private static string Squash(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text.Trim())
        {
            var blank = char.IsWhiteSpace(c);
            if (!blank || (result.Length > 0 && result[^1] != ' '))
            {
                result.Append(blank ? ' ' : c);
            }
        }
        return result.ToString();
    }
}
