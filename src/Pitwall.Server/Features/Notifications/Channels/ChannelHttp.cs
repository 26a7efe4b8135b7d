using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Pitwall.Server.Features.Notifications.Channels;

/// <summary>What the HTTP channels share: one exchange with a peer, mapped to an outcome without throwing for the peer's faults.</summary>
internal static class ChannelHttp
{
    /// <summary>Larger error bodies are not read: the outcome needs a provider's error code, not a page.</summary>
    private const int ErrorBodyLimit = 16 * 1024;

    /// <summary>
    /// Sends the request and hands the response to <paramref name="interpret"/>; the client's time-out covers both, so a
    /// peer that stalls in the middle of its body cannot hold a delivery. Network errors and time-outs become
    /// <see cref="DeliveryOutcome.Retry"/>; only the caller's own cancellation (shutdown) throws.
    /// </summary>
    public static async Task<DeliveryOutcome> ExchangeAsync(
        HttpClient client, HttpRequestMessage request, string peer, Func<HttpResponseMessage, CancellationToken, Task<DeliveryOutcome>> interpret,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(client.Timeout);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            return await interpret(response, deadline.Token);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefusedException refused)
        {
            return new DeliveryOutcome.Failed(refused.Message);
        }
        catch (HttpRequestException e)
        {
            return new DeliveryOutcome.Retry($"{peer} unreachable ({e.HttpRequestError})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new DeliveryOutcome.Retry($"{peer} timed out");
        }
    }

    /// <summary>429, 408 and 5xx: the peer may well accept the same request later.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>The peer's Retry-After (seconds or an HTTP date, judged by <paramref name="time"/>), when it gave one.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    public static string Status(HttpResponseMessage response) => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);

    /// <summary>The body as JSON when it is small, JSON and arrives in time; null otherwise (the status decides the
    /// outcome, the body only adds a provider's id or error code).</summary>
    public static async Task<JsonElement?> JsonBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is > ErrorBodyLimit)
        {
            return null;
        }
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[ErrorBodyLimit];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
            if (length == 0 || length == buffer.Length)
            {
                return null;
            }
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            return document.RootElement.Clone();
        }
        catch (Exception e) when (e is JsonException or IOException or HttpRequestException or OperationCanceledException)
        {
            return null;
        }
    }

    public static string? Text(JsonElement? element, params string[] path)
    {
        if (element is not { } current)
        {
            return null;
        }
        foreach (var name in path)
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
            {
                return null;
            }
        }
        return current.ValueKind == JsonValueKind.String ? current.GetString() : null;
    }

    /// <summary>A provider's error code made safe for a reason text: letters, digits, '_' and '-', at most 64 of them.</summary>
    public static string? Code(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }
        var safe = new string(code.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-').Take(64).ToArray());
        return safe.Length == 0 ? null : safe;
    }
}
