using System.Data.Common;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Notifications;

/// <summary>What one account chose for one notification type: channels, quiet hours, and where each channel leads.</summary>
internal sealed record DeliveryChoices(
    NotificationType Type,
    IReadOnlyDictionary<string, bool> Switches,
    QuietHours? QuietHours,
    IReadOnlyList<string> DeviceIds,
    IReadOnlyList<(string Id, string Types, string? ClientId)> Webhooks)
{
    public bool IsOn(string channel) => Switches.TryGetValue(channel, out var on) ? on : IsOnByDefault(Type, channel);

    /// <summary>Webhooks are opted into by subscribing, so they are on unless switched off.</summary>
    public static bool IsOnByDefault(NotificationType type, string channel) =>
        channel == NotificationChannels.Webhook || type.DefaultChannels.Contains(channel);

    /// <summary>Each delivery to queue: the channel and its target, resolved to an address only when sending.</summary>
    public IEnumerable<(string Channel, string Target)> Targets()
    {
        if (IsOn(NotificationChannels.Push))
        {
            foreach (var device in DeviceIds)
            {
                yield return (NotificationChannels.Push, $"device:{device}");
            }
        }
        if (IsOn(NotificationChannels.Sms))
        {
            yield return (NotificationChannels.Sms, "phone");
        }
        if (IsOn(NotificationChannels.Email))
        {
            yield return (NotificationChannels.Email, "email");
        }
        if (IsOn(NotificationChannels.Webhook))
        {
            foreach (var (id, types, _) in Webhooks)
            {
                if (types == "*" || types.Split(',').Contains(Type.Id))
                {
                    yield return (NotificationChannels.Webhook, $"webhook:{id}");
                }
            }
        }
    }
}

/// <summary>A delivery's target as <see cref="DeliveryChoices.Targets"/> writes it: a kind, and for devices and webhooks the
/// id after a colon (<c>device:…</c>, <c>webhook:…</c>, <c>phone</c>, <c>email</c>).</summary>
internal readonly record struct DeliveryTarget(string Kind, string Id)
{
    public static DeliveryTarget Parse(string target) =>
        target.IndexOf(':') is var colon and > 0 ? new(target[..colon], target[(colon + 1)..]) : new(target, "");
}

public sealed record DeliveryStatus(string Channel, string Target, string State, int Attempts, DateTimeOffset NextAttemptAt, string? LastError, DateTimeOffset? DeliveredAt);

/// <param name="Message">The English text (UTC) stored when it was sent.</param>
/// <param name="Template">The template its words are rendered from when read; null for notifications older than templates.</param>
/// <param name="Args">The template's arguments, a JSON object.</param>
public sealed record InboxEntry(
    string Id, string Vin, string Type, string Message, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt, IReadOnlyList<DeliveryStatus> Deliveries,
    string? Template = null, string? Args = null);

/// <summary>A delivery a sender has claimed, with what it needs to resolve the address.</summary>
internal sealed record ClaimedDelivery(string Id, string NotificationId, string AccountId, string Vin, string Type, string Message, string Target, int Attempts, DateTimeOffset CreatedAt)
{
    public string? Template { get; init; }
    public string? Args { get; init; }
}

public sealed record PushDevice(string Id, string Platform, string Token, string Name, DateTimeOffset CreatedAt);

/// <param name="ClientId">The third-party app that made it (with its token), null for the owner's own.</param>
public sealed record WebhookSubscription(string Id, string Url, string Secret, IReadOnlyList<string> Types, bool Active, DateTimeOffset CreatedAt,
    string? ClientId = null);

/// <summary>The SQL of the notifications feature.</summary>
public sealed class NotificationStore(Database database)
{
    // ---- inside a caller's transaction (the outbox) ----

    /// <param name="message">The text in English (UTC), for readers of the table and rows read without the template.</param>
    internal static async Task<bool> AddToInboxAsync(DbConnection c, DbTransaction t, string id, string accountId, Notification n, string message) =>
        await c.ExecuteAsync(
            """
            INSERT INTO notifications (id, account_id, vin, type, message, template, args, dedup_key, created_at)
            VALUES (@id, @accountId, @Vin, @Type, @message, @template, @args, @Key, @at)
            ON CONFLICT (account_id, vin, dedup_key) DO NOTHING
            """, new
            {
                id, accountId, n.Vin, n.Type, message, template = n.Text.Template.Length == 0 ? null : n.Text.Template,
                args = n.Text.Template.Length == 0 ? null : n.Text.ArgsJson(), n.Key, at = n.At.ToUnixTimeMilliseconds(),
            }, t) == 1;

    internal static async Task<DeliveryChoices> ChoicesAsync(DbConnection c, DbTransaction t, string accountId, NotificationType type)
    {
        var switches = (await c.QueryAsync<(string Channel, long Enabled)>(
                "SELECT channel, enabled FROM notification_preferences WHERE account_id = @accountId AND type = @type",
                new { accountId, type = type.Id }, t))
            .ToDictionary(s => s.Channel, s => s.Enabled != 0, StringComparer.Ordinal);
        var quiet = await QuietHoursAsync(c, t, accountId);
        var devices = (await c.QueryAsync<string>("SELECT id FROM push_devices WHERE account_id = @accountId ORDER BY created_at", new { accountId }, t)).ToList();
        var webhooks = (await c.QueryAsync<(string Id, string Types, string? ClientId)>(
            "SELECT id, types, client_id FROM webhook_subscriptions WHERE account_id = @accountId AND active = 1 ORDER BY created_at", new { accountId }, t)).ToList();
        return new DeliveryChoices(type, switches, quiet, devices, webhooks);
    }

    private static async Task<QuietHours?> QuietHoursAsync(DbConnection c, DbTransaction? t, string accountId) =>
        (await c.QueryAsync<(long From, long To, string Zone)>(
            "SELECT from_minute, to_minute, time_zone FROM notification_quiet_hours WHERE account_id = @accountId", new { accountId }, t))
        .Select(q => new QuietHours((int)q.From, (int)q.To, q.Zone)).FirstOrDefault();

    internal static Task QueueDeliveryAsync(DbConnection c, DbTransaction t, string notificationId, string channel, string target, DateTimeOffset at) =>
        c.ExecuteAsync(
            """
            INSERT INTO notification_deliveries (id, notification_id, channel, target, state, attempts, next_attempt_at)
            VALUES (@id, @notificationId, @channel, @target, 'pending', 0, @at)
            """, new { id = Guid.NewGuid().ToString("N"), notificationId, channel, target, at = at.ToUnixTimeMilliseconds() }, t);

    // ---- the senders ----

    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of one channel by moving their next attempt to
    /// <paramref name="claimUntil"/> (compare-and-set, so two instances never take the same one). A sender that dies
    /// leaves them due again after the claim. Looking costs a read; the writer is taken only when something is due.
    /// </summary>
    internal async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(
        string channel, DateTimeOffset now, DateTimeOffset claimUntil, int limit, CancellationToken cancellationToken)
    {
        const string Due =
            """
            SELECT d.id AS Id, d.notification_id AS NotificationId, n.account_id AS AccountId, n.vin AS Vin, n.type AS Type,
                   n.message AS Message, n.template AS Template, n.args AS Args, d.target AS Target, d.attempts AS Attempts, n.created_at AS CreatedAt, d.next_attempt_at AS NextAttemptAt
            FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE d.channel = @channel AND d.state = 'pending' AND d.next_attempt_at <= @now
            ORDER BY d.next_attempt_at LIMIT @limit
            """;
        var args = new { channel, now = now.ToUnixTimeMilliseconds(), limit };
        if (!(await database.ReadAsync(c => c.QueryAsync<ClaimedRow>(Due, args), cancellationToken)).Any())
        {
            return [];
        }
        return await database.WriteAsync<IReadOnlyList<ClaimedDelivery>>(async (c, t) =>
        {
            var claimed = new List<ClaimedDelivery>();
            foreach (var r in await c.QueryAsync<ClaimedRow>(Due, args, t))
            {
                if (await c.ExecuteAsync(
                        """
                        UPDATE notification_deliveries SET next_attempt_at = @until, attempts = attempts + 1
                        WHERE id = @Id AND state = 'pending' AND next_attempt_at = @NextAttemptAt
                        """, new { r.Id, r.NextAttemptAt, until = claimUntil.ToUnixTimeMilliseconds() }, t) == 1)
                {
                    claimed.Add(new ClaimedDelivery(r.Id, r.NotificationId, r.AccountId, r.Vin, r.Type, r.Message, r.Target, (int)r.Attempts + 1,
                        StoredTime.Read(r.CreatedAt)) { Template = r.Template, Args = r.Args });
                }
            }
            return claimed;
        }, cancellationToken);
    }

    public Task<DateTimeOffset?> NextDueAsync(string channel, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long?>(
            "SELECT MIN(next_attempt_at) FROM notification_deliveries WHERE channel = @channel AND state = 'pending'", new { channel }) is { } ms
            ? StoredTime.Read(ms)
            : (DateTimeOffset?)null, cancellationToken);

    public Task DeliveredAsync(string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE notification_deliveries SET state = 'delivered', delivered_at = @at, last_error = NULL WHERE id = @id",
            new { id, at = at.ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <summary>Ends a delivery as failed (permanent) or skipped (nowhere to send it).</summary>
    public Task EndAsync(string id, string state, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE notification_deliveries SET state = @state, last_error = @reason WHERE id = @id", new { id, state, reason }, t), cancellationToken);

    public Task RetryAtAsync(string id, DateTimeOffset at, string reason, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE notification_deliveries SET next_attempt_at = @at, last_error = @reason WHERE id = @id AND state = 'pending'",
            new { id, at = at.ToUnixTimeMilliseconds(), reason }, t), cancellationToken);

    // ---- the account's inbox and choices ----

    public Task<IReadOnlyList<InboxEntry>> InboxAsync(string accountId, bool unreadOnly, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<InboxEntry>>(async c =>
        {
            var rows = (await c.QueryAsync<InboxRow>(
                $"""
                SELECT id AS Id, vin AS Vin, type AS Type, message AS Message, created_at AS CreatedAt, read_at AS ReadAt, template AS Template, args AS Args
                FROM notifications
                WHERE account_id = @accountId {(unreadOnly ? "AND read_at IS NULL" : "")}
                ORDER BY created_at DESC, id LIMIT @limit
                """, new { accountId, limit })).ToList();
            var oldest = rows.Count == 0 ? long.MaxValue : rows.Min(r => r.CreatedAt);
            var deliveries = (await c.QueryAsync<(string NotificationId, string Channel, string Target, string State, long Attempts, long NextAttemptAt, string? LastError, long? DeliveredAt)>(
                """
                SELECT d.notification_id, d.channel, d.target, d.state, d.attempts, d.next_attempt_at, d.last_error, d.delivered_at
                FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
                WHERE n.account_id = @accountId AND n.created_at >= @oldest ORDER BY d.channel, d.target
                """, new { accountId, oldest })).ToLookup(d => d.NotificationId);
            return rows.Select(r => new InboxEntry(r.Id, r.Vin, r.Type, r.Message, StoredTime.Read(r.CreatedAt),
                    r.ReadAt is { } read ? StoredTime.Read(read) : null,
                    deliveries[r.Id].Select(d => new DeliveryStatus(d.Channel, d.Target, d.State, (int)d.Attempts,
                        StoredTime.Read(d.NextAttemptAt), d.LastError,
                        d.DeliveredAt is { } at ? StoredTime.Read(at) : null)).ToList(), r.Template, r.Args))
                .ToList();
        }, cancellationToken);

    public Task<bool> MarkReadAsync(string accountId, string id, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "UPDATE notifications SET read_at = COALESCE(read_at, @at) WHERE id = @id AND account_id = @accountId",
            new { id, accountId, at = at.ToUnixTimeMilliseconds() }, t) == 1, cancellationToken);

    /// <returns>How many were unread and are read now.</returns>
    public Task<int> MarkAllReadAsync(string accountId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            "UPDATE notifications SET read_at = @at WHERE account_id = @accountId AND read_at IS NULL",
            new { accountId, at = at.ToUnixTimeMilliseconds() }, t), cancellationToken);

    public Task<int> UnreadCountAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE account_id = @accountId AND read_at IS NULL", new { accountId }), cancellationToken);

    public Task<(IReadOnlyDictionary<(string Type, string Channel), bool> Switches, QuietHours? QuietHours)> PreferencesAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<(IReadOnlyDictionary<(string, string), bool>, QuietHours?)>(async c =>
        {
            var switches = (await c.QueryAsync<(string Type, string Channel, long Enabled)>(
                    "SELECT type, channel, enabled FROM notification_preferences WHERE account_id = @accountId", new { accountId }))
                .ToDictionary(s => (s.Type, s.Channel), s => s.Enabled != 0);
            return (switches, await QuietHoursAsync(c, null, accountId));
        }, cancellationToken);

    /// <param name="quietHours">Replaces the window when <paramref name="setQuietHours"/>; null removes it.</param>
    public Task SavePreferencesAsync(string accountId, IEnumerable<(string Type, string Channel, bool Enabled)> switches, bool setQuietHours, QuietHours? quietHours, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            foreach (var (type, channel, enabled) in switches)
            {
                await c.ExecuteAsync(
                    """
                    INSERT INTO notification_preferences (account_id, type, channel, enabled) VALUES (@accountId, @type, @channel, @on)
                    ON CONFLICT (account_id, type, channel) DO UPDATE SET enabled = excluded.enabled
                    """, new { accountId, type, channel, on = enabled ? 1 : 0 }, t);
            }
            if (setQuietHours)
            {
                await c.ExecuteAsync("DELETE FROM notification_quiet_hours WHERE account_id = @accountId", new { accountId }, t);
                if (quietHours is not null)
                {
                    await c.ExecuteAsync(
                        "INSERT INTO notification_quiet_hours (account_id, from_minute, to_minute, time_zone) VALUES (@accountId, @FromMinute, @ToMinute, @TimeZone)",
                        new { accountId, quietHours.FromMinute, quietHours.ToMinute, quietHours.TimeZone }, t);
                }
            }
        }, cancellationToken);

    public Task<IReadOnlyList<PushDevice>> DevicesAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PushDevice>>(async c => (await c.QueryAsync<(string Id, string Platform, string Token, string Name, long CreatedAt)>(
                "SELECT id, platform, token, name, created_at FROM push_devices WHERE account_id = @accountId ORDER BY created_at", new { accountId }))
            .Select(d => new PushDevice(d.Id, d.Platform, d.Token, d.Name, StoredTime.Read(d.CreatedAt))).ToList(), cancellationToken);

    public Task<PushDevice?> DeviceAsync(string accountId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<(string Id, string Platform, string Token, string Name, long CreatedAt)>(
                "SELECT id, platform, token, name, created_at FROM push_devices WHERE account_id = @accountId AND id = @id", new { accountId, id }))
            .Select(d => new PushDevice(d.Id, d.Platform, d.Token, d.Name, StoredTime.Read(d.CreatedAt))).SingleOrDefault(), cancellationToken);

    /// <summary>Registers a device token; a token already registered moves to this account (the phone changed hands).</summary>
    public Task AddDeviceAsync(string accountId, PushDevice device, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) =>
        {
            await c.ExecuteAsync("DELETE FROM push_devices WHERE platform = @Platform AND token = @Token", device, t);
            await c.ExecuteAsync(
                "INSERT INTO push_devices (id, account_id, platform, token, name, created_at) VALUES (@Id, @accountId, @Platform, @Token, @Name, @at)",
                new { device.Id, accountId, device.Platform, device.Token, device.Name, at = device.CreatedAt.ToUnixTimeMilliseconds() }, t);
        }, cancellationToken);

    public Task<bool> RemoveDeviceAsync(string accountId, string id, CancellationToken cancellationToken) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM push_devices WHERE id = @id AND account_id = @accountId", new { id, accountId }, t) == 1, cancellationToken);

    public Task<IReadOnlyList<WebhookSubscription>> WebhooksAsync(string accountId, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WebhookSubscription>>(async c => (await c.QueryAsync<WebhookRow>(
                "SELECT id AS Id, url AS Url, secret AS Secret, types AS Types, active AS Active, created_at AS CreatedAt, client_id AS ClientId FROM webhook_subscriptions WHERE account_id = @accountId ORDER BY created_at",
                new { accountId }))
            .Select(r => r.ToSubscription()).ToList(), cancellationToken);

    public Task<WebhookSubscription?> WebhookAsync(string accountId, string id, CancellationToken cancellationToken) =>
        database.ReadAsync(async c => (await c.QueryAsync<WebhookRow>(
                "SELECT id AS Id, url AS Url, secret AS Secret, types AS Types, active AS Active, created_at AS CreatedAt, client_id AS ClientId FROM webhook_subscriptions WHERE account_id = @accountId AND id = @id",
                new { accountId, id }))
            .Select(r => r.ToSubscription()).SingleOrDefault(), cancellationToken);

    /// <summary>The account's latest webhook deliveries that were tried, newest first (at most <paramref name="limit"/>).</summary>
    public Task<IReadOnlyList<WebhookAttempt>> WebhookAttemptsAsync(string accountId, int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<WebhookAttempt>>(async c => [.. (await c.QueryAsync<(string Target, string State, long Attempts, string? LastError, long CreatedAt)>(
                """
                SELECT d.target, d.state, d.attempts, d.last_error, n.created_at FROM notification_deliveries d
                JOIN notifications n ON n.id = d.notification_id
                WHERE n.account_id = @accountId AND d.channel = 'webhook' AND d.attempts > 0
                ORDER BY n.created_at DESC, d.id DESC LIMIT @limit
                """, new { accountId, limit }))
            .Select(r => new WebhookAttempt(r.Target.StartsWith("webhook:", StringComparison.Ordinal) ? r.Target[8..] : r.Target, r.State == "delivered",
                (int)r.Attempts, r.LastError, StoredTime.Read(r.CreatedAt)))], cancellationToken);

    public Task AddWebhookAsync(string accountId, WebhookSubscription webhook, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO webhook_subscriptions (id, account_id, url, secret, types, active, created_at, client_id)
            VALUES (@Id, @accountId, @Url, @Secret, @types, 1, @at, @ClientId)
            """, new { webhook.Id, accountId, webhook.Url, webhook.Secret, webhook.ClientId, types = string.Join(',', webhook.Types), at = webhook.CreatedAt.ToUnixTimeMilliseconds() }, t), cancellationToken);

    /// <param name="clientId">An app removes only its own; null: the owner, who removes any.</param>
    public Task<bool> RemoveWebhookAsync(string accountId, string id, CancellationToken cancellationToken, string? clientId = null) =>
        database.WriteAsync(async (c, t) => await c.ExecuteAsync(
            "DELETE FROM webhook_subscriptions WHERE id = @id AND account_id = @accountId AND (@clientId IS NULL OR client_id = @clientId)",
            new { id, accountId, clientId }, t) == 1, cancellationToken);

    public Task DeactivateWebhookAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("UPDATE webhook_subscriptions SET active = 0 WHERE id = @id", new { id }, t), cancellationToken);

    public Task ForgetDeviceAsync(string id, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM push_devices WHERE id = @id", new { id }, t), cancellationToken);

    private sealed class ClaimedRow
    {
        public string Id { get; init; } = "";
        public string NotificationId { get; init; } = "";
        public string AccountId { get; init; } = "";
        public string Vin { get; init; } = "";
        public string Type { get; init; } = "";
        public string Message { get; init; } = "";
        public string? Template { get; init; }
        public string? Args { get; init; }
        public string Target { get; init; } = "";
        public long Attempts { get; init; }
        public long CreatedAt { get; init; }
        public long NextAttemptAt { get; init; }
    }

    private sealed class InboxRow
    {
        public string Id { get; init; } = "";
        public string Vin { get; init; } = "";
        public string Type { get; init; } = "";
        public string Message { get; init; } = "";
        public long CreatedAt { get; init; }
        public long? ReadAt { get; init; }
        public string? Template { get; init; }
        public string? Args { get; init; }
    }

    private sealed class WebhookRow
    {
        public string Id { get; init; } = "";
        public string Url { get; init; } = "";
        public string Secret { get; init; } = "";
        public string Types { get; init; } = "";
        public long Active { get; init; }
        public long CreatedAt { get; init; }
        public string? ClientId { get; init; }

        public WebhookSubscription ToSubscription() =>
            new(Id, Url, Secret, Types.Split(',', StringSplitOptions.RemoveEmptyEntries), Active != 0, StoredTime.Read(CreatedAt), ClientId);
    }
}
