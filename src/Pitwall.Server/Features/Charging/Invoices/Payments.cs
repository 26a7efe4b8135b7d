using System.Security.Cryptography;
using System.Text;
using Dapper;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Charging.Invoices;

/// <summary>What a payment provider says about a card token: never the number, only the brand and the last four digits.</summary>
internal sealed record PaymentCardInfo(string Brand, string Last4);

/// <summary>The outcome of collecting an invoice or paying a credit note back.</summary>
/// <param name="Succeeded">False: declined (the invoice stays open for the next attempt or another card).</param>
/// <param name="Reference">The provider's id of the payment or refund.</param>
internal sealed record PaymentOutcome(bool Succeeded, string? Reference, string? Reason);

/// <summary>
/// The payment service provider behind the monthly invoices. The card number never reaches Pitwall's storage: the customer gives it
/// to the provider (its payment page or fields), the provider hands back a token, and Pitwall keeps only the token and the last four
/// digits. Every call names an idempotency key (the invoice or credit-note number): the same key twice charges once, so a run that
/// crashed after charging and before recording it charges nothing the second time. docs/operator-guide.md tells how a real provider
/// plugs in.
/// </summary>
internal interface IPaymentProvider
{
    /// <summary>The name stored beside each token (<c>Charging:Payments:Provider</c>).</summary>
    string Name { get; }

    /// <summary>The card behind a token the customer got from the provider; null when the provider does not know the token.</summary>
    Task<PaymentCardInfo?> DescribeAsync(string token, CancellationToken cancellationToken);

    Task<PaymentOutcome> ChargeAsync(string token, long amountMinor, string currency, string idempotencyKey, CancellationToken cancellationToken);

    Task<PaymentOutcome> RefundAsync(string token, long amountMinor, string currency, string idempotencyKey, CancellationToken cancellationToken);
}

/// <summary>
/// The local payment provider, for development, the demo and tests: it tokenises a card number (Luhn-checked) into a token that
/// carries the brand and the last four digits and a random part, so it needs no storage and survives restarts; it charges every card
/// except those ending in 0002 (declined, as providers' test cards do). It moves no money.
/// </summary>
internal sealed class LocalPaymentProvider : IPaymentProvider
{
    public const string ProviderName = "local";
    private const string Prefix = "lpt_";

    public string Name => ProviderName;

    /// <summary>The provider's side of card entry: a card number in, a token out (the number is dropped at once).</summary>
    public static string? Tokenize(string? number)
    {
        var digits = new string((number ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length is < 12 or > 19 || !digits.All(char.IsAsciiDigit) || !Luhn(digits))
        {
            return null;
        }
        var brand = digits[0] switch { '4' => "visa", '5' or '2' => "mastercard", '3' => "amex", _ => "card" };
        return $"{Prefix}{brand}_{digits[^4..]}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}";
    }

    public Task<PaymentCardInfo?> DescribeAsync(string token, CancellationToken cancellationToken) => Task.FromResult(Describe(token));

    public static PaymentCardInfo? Describe(string token)
    {
        var parts = token.StartsWith(Prefix, StringComparison.Ordinal) ? token[Prefix.Length..].Split('_') : [];
        return parts is [var brand, { Length: 4 } last4, { Length: 24 }] && last4.All(char.IsAsciiDigit) ? new PaymentCardInfo(brand, last4) : null;
    }

    public async Task<PaymentOutcome> ChargeAsync(string token, long amountMinor, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        await DescribeAsync(token, cancellationToken) is not { } card ? new(false, null, "unknown token")
        : card.Last4 == "0002" ? new(false, null, "card declined")
        : new(true, Reference("ch", idempotencyKey), null);

    public async Task<PaymentOutcome> RefundAsync(string token, long amountMinor, string currency, string idempotencyKey, CancellationToken cancellationToken) =>
        await DescribeAsync(token, cancellationToken) is null ? new(false, null, "unknown token") : new(true, Reference("re", idempotencyKey), null);

    /// <summary>The same key, the same reference: the local provider's idempotency.</summary>
    private static string Reference(string kind, string key) =>
        $"local_{kind}_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..16]}";

    private static bool Luhn(string digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = digits[digits.Length - 1 - i] - '0';
            sum += i % 2 == 1 ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
        }
        return sum % 10 == 0;
    }
}

/// <summary>The account's payment card (<c>charging_payment_cards</c>): the provider's token and the last four digits.</summary>
internal sealed record PaymentCard(string Provider, string Token, string? Brand, string Last4);

internal sealed class PaymentCardStore(Database database, TimeProvider time)
{
    public async Task<PaymentCard?> FindAsync(string accountId, CancellationToken cancellationToken) =>
        await database.ReadAsync(c => FindAsync(c, null, accountId), cancellationToken);

    public static Task<PaymentCard?> FindAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string accountId) =>
        connection.QuerySingleOrDefaultAsync<PaymentCard?>(
            "SELECT provider, token, brand, last4 FROM charging_payment_cards WHERE account_id = @accountId", new { accountId }, transaction);

    public Task SaveAsync(string accountId, PaymentCard card, CancellationToken cancellationToken) =>
        database.WriteAsync((c, t) => c.ExecuteAsync(
            """
            INSERT INTO charging_payment_cards (account_id, provider, token, brand, last4, created_at) VALUES (@accountId, @Provider, @Token, @Brand, @Last4, @now)
            ON CONFLICT (account_id) DO UPDATE SET provider = excluded.provider, token = excluded.token, brand = excluded.brand, last4 = excluded.last4,
                created_at = excluded.created_at
            """, new { accountId, card.Provider, card.Token, card.Brand, card.Last4, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, t), cancellationToken);

    public async Task<bool> RemoveAsync(string accountId, CancellationToken cancellationToken) =>
        await database.WriteAsync((c, t) => c.ExecuteAsync("DELETE FROM charging_payment_cards WHERE account_id = @accountId", new { accountId }, t), cancellationToken) == 1;
}
