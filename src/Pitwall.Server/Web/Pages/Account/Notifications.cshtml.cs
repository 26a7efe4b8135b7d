using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;
using Pitwall.Server.Features.Notifications;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Web.Pages.Account;

/// <summary>
/// The account's notifications: the inbox with each channel's delivery status, the choices per type and channel with the
/// quiet hours, push devices and webhook subscriptions. Same store and rules as the API's <c>/api/v1/me/…</c>.
/// </summary>
internal sealed class NotificationsModel(
    NotificationStore store, NotificationSettings settings, INotificationTypes types, NotificationRenderer renderer, VehicleStore vehicles, TimeProvider time,
    IStringLocalizer<PortalText> t)
    : PortalPage
{
    private const int InboxLength = 50;

    public IReadOnlyList<InboxEntry> Inbox { get; private set; } = [];

    /// <summary>The account's cars by VIN, as people name them: model and registration.</summary>
    private IReadOnlyDictionary<string, Vehicle> _cars = new Dictionary<string, Vehicle>();

    /// <summary>Every notification type the features registered, in the users' order.</summary>
    public IReadOnlyList<NotificationType> Types => types.All;

    public NotificationPreferencesResponse Preferences { get; private set; } = new([], null);

    public IReadOnlyList<PushDevice> Devices { get; private set; } = [];

    public IReadOnlyList<(WebhookSubscription Webhook, WebhookState State)> Webhooks { get; private set; } = [];

    /// <summary>True when the choices came back with errors: the table shows them as posted.</summary>
    public bool PreferencesPosted { get; private set; }

    /// <summary>The signing secret of the webhook just created, for the page after the redirect: shown this once (temp data
    /// is encrypted by data protection and gone once read, so a reload shows it no more and adds no second webhook).</summary>
    [TempData]
    public string? CreatedSecret { get; set; }

    [TempData]
    public string? Message { get; set; }

    /// <summary>The switched-on channels, each as <c>type|channel</c> (push, sms, email, webhook).</summary>
    [BindProperty]
    public List<string> Channels { get; set; } = [];

    [BindProperty]
    public bool QuietHoursOn { get; set; }

    [BindProperty]
    public string? QuietFrom { get; set; }

    [BindProperty]
    public string? QuietTo { get; set; }

    [BindProperty]
    public string? QuietTimeZone { get; set; }

    [BindProperty]
    public string? WebhookUrl { get; set; }

    [BindProperty]
    public List<string> WebhookTypes { get; set; } = [];

    public Task OnGetAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    /// <summary>The inbox alone, for the live refresh (notifications.js).</summary>
    public async Task<IActionResult> OnGetInboxAsync(CancellationToken cancellationToken)
    {
        await LoadInboxAsync(cancellationToken);
        return Partial("NotificationsInbox", this);
    }

    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken cancellationToken)
    {
        await store.MarkAllReadAsync(AccountId, time.GetUtcNow(), cancellationToken);
        return Redirect("/account/notifications#inbox-title");
    }

    /// <summary>The car a notification is about: "Taycan · S-PW 911" (model and registration), the model and the VIN without a
    /// registration, the VIN alone for a car the account no longer uses.</summary>
    public string CarName(string vin) => _cars.TryGetValue(vin, out var car)
        ? $"{car.Model} · {(string.IsNullOrWhiteSpace(car.RegistrationNumber) ? car.Vin : car.RegistrationNumber)}"
        : vin;

    /// <summary>The notification's text in the page's language, its times in the user's time zone.</summary>
    public string Text(InboxEntry n) =>
        renderer.Render(n.Template, n.Args, n.Message, new NotificationReader(System.Globalization.CultureInfo.CurrentUICulture, PortalTime.Zone));

    private async Task LoadInboxAsync(CancellationToken cancellationToken)
    {
        Inbox = await store.InboxAsync(AccountId, false, InboxLength, cancellationToken);
        _cars = (await vehicles.ListForAsync(AccountId, null, cancellationToken)).ToDictionary(v => v.Vehicle.Vin, v => v.Vehicle, StringComparer.Ordinal);
    }

    public async Task<IActionResult> OnPostReadAsync(string? id, CancellationToken cancellationToken)
    {
        await store.MarkReadAsync(AccountId, id ?? "", time.GetUtcNow(), cancellationToken);
        return Redirect("/account/notifications#inbox-title");
    }

    /// <summary>Saves every switch of the table (a box not sent is off) and the quiet hours, with the API's rules.</summary>
    public async Task<IActionResult> OnPostPreferencesAsync(CancellationToken cancellationToken)
    {
        var on = Channels.ToHashSet(StringComparer.Ordinal);
        var switches = types.All
            .SelectMany(type => NotificationSettings.SwitchableChannels.Select(channel => new ChannelSwitch(type.Id, channel, on.Contains(Switch(type.Id, channel)))))
            .ToList();
        var request = new UpdateNotificationPreferencesRequest(switches, QuietHoursOn ? new QuietHoursDto(QuietFrom, QuietTo, QuietTimeZone) : null, !QuietHoursOn);
        if (await settings.UpdatePreferencesAsync(AccountId, request, cancellationToken) is { } errors)
        {
            AddErrors(errors, t, field => field switch
            {
                "quietHours.from" => nameof(QuietFrom),
                "quietHours.to" => nameof(QuietTo),
                "quietHours.timeZone" => nameof(QuietTimeZone),
                _ => "",
            });
            PreferencesPosted = true;
            await LoadAsync(cancellationToken);
            return Page();
        }
        Message = t["Your choices are saved."];
        return Redirect("/account/notifications#preferences-title");
    }

    public async Task<IActionResult> OnPostRemoveDeviceAsync(string? id, CancellationToken cancellationToken)
    {
        if (await store.RemoveDeviceAsync(AccountId, id ?? "", cancellationToken))
        {
            Message = t["The device no longer receives push notifications."];
        }
        return Redirect("/account/notifications#devices-title");
    }

    public async Task<IActionResult> OnPostAddWebhookAsync(CancellationToken cancellationToken)
    {
        var (created, errors, limitReached) = await settings.CreateWebhookAsync(AccountId, new CreateWebhookRequest(WebhookUrl, WebhookTypes), cancellationToken);
        if (errors is not null)
        {
            AddErrors(errors, t, field => field == "url" ? nameof(WebhookUrl) : nameof(WebhookTypes));
        }
        else if (limitReached)
        {
            ModelState.AddModelError(nameof(WebhookUrl), t["At most {0} webhooks; remove one first.", NotificationSettings.MaxWebhooks]);
        }
        else
        {
            CreatedSecret = created!.Secret;
            return Redirect("/account/notifications#webhooks-title");
        }
        await LoadAsync(cancellationToken);
        return Page();
    }

    public async Task<IActionResult> OnPostRemoveWebhookAsync(string? id, CancellationToken cancellationToken)
    {
        if (await store.RemoveWebhookAsync(AccountId, id ?? "", cancellationToken))
        {
            Message = t["Webhook removed."];
        }
        return Redirect("/account/notifications#webhooks-title");
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        await LoadInboxAsync(cancellationToken);
        Preferences = await settings.PreferencesAsync(AccountId, cancellationToken);
        if (!PreferencesPosted)
        {
            QuietHoursOn = Preferences.QuietHours is not null;
            (QuietFrom, QuietTo, QuietTimeZone) = Preferences.QuietHours is { } quiet ? (quiet.From, quiet.To, quiet.TimeZone) : ("22:00", "07:00", "Europe/Berlin");
        }
        Devices = await store.DevicesAsync(AccountId, cancellationToken);
        Webhooks = await settings.WebhooksAsync(AccountId, cancellationToken);
    }

    /// <summary>Whether a box of the table is ticked: as posted when the form comes back with errors, else as saved.</summary>
    public bool IsOn(TypePreference type, string channel) =>
        PreferencesPosted ? Channels.Contains(Switch(type.Type, channel)) : type.Channels.TryGetValue(channel, out var on) && on;

    public static string Switch(string type, string channel) => $"{type}|{channel}";

    public static string Channel(string channel) => channel switch
    {
        NotificationChannels.InApp => "In the portal and app",
        NotificationChannels.Push => "Push",
        NotificationChannels.Sms => "SMS",
        NotificationChannels.Email => "E-mail",
        _ => "Webhook",
    };

    /// <summary>A delivery's state in words; for a skipped one, why.</summary>
    public static string Delivery(DeliveryStatus delivery) => (delivery.State, delivery.LastError) switch
    {
        ("pending", _) => "waiting to be sent",
        ("delivered", _) => "delivered",
        ("failed", _) => "failed",
        (_, "no_phone_number") => "skipped: no phone number in your account",
        (_, "device_removed") => "skipped: the device was removed",
        (_, "webhook_removed") => "skipped: the webhook was removed or stopped",
        (_, "channel_not_configured") => "skipped: not offered by this service",
        _ => "skipped",
    };

    /// <summary>What a type is about (its registered label, an English text key), telling apart the types that share a title.</summary>
    public string Label(string type) => types.Find(type)?.Label ?? type;

    /// <summary>The labels of the known types among <paramref name="ids"/> (a type no longer sent is left out).</summary>
    public IEnumerable<string> LabelsOf(IEnumerable<string> ids) => ids.Select(types.Find).OfType<NotificationType>().Select(type => type.Label);

    public string Title(string type) => types.Find(type)?.Title ?? type;

    public static string When(DateTimeOffset at) => PortalTime.When(at, seconds: false);
}
