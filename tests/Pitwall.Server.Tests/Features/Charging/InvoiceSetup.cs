using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Pitwall.Server.Features.Charging.Invoices;
using Pitwall.Server.Tests.Features.Notifications.Channels;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>A server with a real SMTP relay (aiosmtpd) for the "invoice ready" e-mails.</summary>
public sealed class InvoiceSqliteServer : SqliteServer
{
    public SmtpPeer Smtp { get; } = SmtpPeer.StartAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => InvoiceSetup.SmtpSettings(Smtp);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

public sealed class InvoicePostgresServer : PostgresServer
{
    public SmtpPeer Smtp { get; } = SmtpPeer.StartAsync().GetAwaiter().GetResult();

    protected override IEnumerable<KeyValuePair<string, string?>> Settings() => InvoiceSetup.SmtpSettings(Smtp);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>Drivers who charged, their cards with the local payment provider, and the month's end.</summary>
internal static class InvoiceSetup
{
    public static readonly Station Mannheim = Stations.RhineNeckar()[0];

    public static IEnumerable<KeyValuePair<string, string?>> SmtpSettings(SmtpPeer smtp) =>
    [
        new("Pitwall:Notifications:Channels:Smtp:Host", "127.0.0.1"),
        new("Pitwall:Notifications:Channels:Smtp:Port", smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Pitwall:Notifications:Channels:Smtp:From", "Pitwall <noreply@pitwall.test>"),
        new("Pitwall:Notifications:Channels:Smtp:StartTls", "false"),
    ];

    /// <summary>The card number goes to the local provider's card entry; the account gets only its token.</summary>
    public static async Task<string> PayByCardAsync(this PitwallServer server, HttpClient owner, string number = "4242 4242 4242 4242")
    {
        var tokenized = await server.Client.PostAsJsonAsync("/local-payments/v1/tokens", new { number });
        Assert.Equal(HttpStatusCode.OK, tokenized.StatusCode);
        var token = (await tokenized.JsonAsync()).GetProperty("token").GetString()!;
        var set = await owner.PutAsJsonAsync("/api/v1/me/payment-card", new { token });
        Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        return token;
    }

    /// <summary>A CDR the operator sends for the card: <paramref name="kwh"/> in 45 minutes from now, at the simulator's tariff.</summary>
    public static async Task<string> ChargedAsync(this PitwallServer server, RegisteredCpo cpo, string partyId, JsonElement card, decimal kwh)
    {
        var charge = new ChargeSession("DE", partyId, Mannheim, 1, ChargingSetup.CdrToken(card), "AUTH_REQUEST", null);
        var start = server.Clock.GetUtcNow();
        var posted = await cpo.Client.PostCdrAsync(charge.Cdr(start, start.AddMinutes(45), kwh, start.AddMinutes(45)), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, posted.Http);
        return "CDR-" + charge.Id;
    }

    /// <summary>Moves the clock just past the end of the month it is in; that month.</summary>
    public static InvoicePeriod EndOfMonth(this PitwallServer server)
    {
        var run = server.Get<InvoiceRun>();
        var period = InvoicePeriod.Containing(server.Clock.GetUtcNow().AddHours(1), run.Zone);
        server.Clock.Advance(period.End - server.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));
        return period;
    }

    /// <summary>The owner signed in anew (access tokens run out while a test moves the clock to the month's end).</summary>
    public static async Task<HttpClient> FreshAsync(this PitwallServer server, OwnedVehicle owned) =>
        server.ClientWith((await server.SignInAsync(owned.Owner.Email, owned.Owner.Password)).AccessToken);

    public static async Task<List<JsonElement>> InvoicesAsync(this HttpClient owner) =>
        [.. (await (await owner.GetAsync("/api/v1/me/invoices")).JsonAsync()).EnumerateArray()];
}
