using System.Text.Json;

namespace Pitwall.Server.Tests.Infrastructure;

/// <summary>The account's notification inbox (<c>GET /api/v1/me/notifications</c>) and waiting for its deliveries.</summary>
public static class NotificationInbox
{
    /// <summary>The inbox entries, newest first.</summary>
    public static async Task<List<JsonElement>> ReadAsync(HttpClient client) =>
        [.. (await (await client.GetAsync("/api/v1/me/notifications")).JsonAsync()) is var body && body.ValueKind == JsonValueKind.Array ? body.EnumerateArray() : throw new InvalidOperationException(body.ToString())];

    /// <summary>Waits until what <paramref name="select"/> takes from the inbox is <paramref name="done"/>, re-reading the inbox
    /// whenever a delivery outcome is recorded (<c>notification.delivery</c>). Listening starts before the first look, so no
    /// outcome slips through.</summary>
    public static async Task<T> WaitForDeliveriesAsync<T>(HttpClient client, Func<List<JsonElement>, T> select, Func<T, bool> done)
    {
        await using var events = await EventStream.OpenAsync(client);
        while (true)
        {
            var selected = select(await ReadAsync(client));
            if (done(selected))
            {
                return selected;
            }
            await events.NextAsync("notification.delivery", _ => true);
        }
    }

    /// <summary>The deliveries of one inbox entry by channel.</summary>
    public static Dictionary<string, JsonElement> DeliveriesByChannel(JsonElement entry) =>
        entry.GetProperty("deliveries").EnumerateArray().ToDictionary(d => d.GetProperty("channel").GetString()!);
}
