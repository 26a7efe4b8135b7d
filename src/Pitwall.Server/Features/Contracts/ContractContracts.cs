using Microsoft.AspNetCore.Identity;
using Pitwall.Server.Features.Accounts;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Contracts;

/// <param name="CarSecurity">Required when the package asks for the B2 data (Car Security).</param>
/// <param name="ConfirmedPriceMinor">The price the buyer saw and confirmed (minor units); when given and the price has changed
/// since, nothing is bought (409 <c>price_changed</c>).</param>
internal sealed record PurchaseRequest(string? PackageId, CarSecurityRequest? CarSecurity, long? ConfirmedPriceMinor = null);

/// <summary>What buying Car Security asks for (REQUIREMENTS B2).</summary>
/// <param name="PhoneNumbers">E.164, in the order the security centre calls them (1–3).</param>
/// <param name="SecurityAnswer">Stored only as a salted hash; compared, never shown.</param>
public sealed record CarSecurityRequest(
    IReadOnlyList<string>? PhoneNumbers, string? SecurityQuestion, string? SecurityAnswer, string? Colour, string? RegistrationNumber)
{
    private static readonly PasswordHasher<object> Hasher = new();

    /// <summary>Checks the data and hashes the answer (case and surrounding spaces do not count).</summary>
    internal static CarSecurityDetails? Validate(CarSecurityRequest? r, ValidationErrors errors)
    {
        if (r is null)
        {
            errors.Add("carSecurity", "Car Security needs contact phone numbers, a security question and answer, the colour and the registration number.");
            return null;
        }
        if (r.PhoneNumbers is not { Count: >= 1 and <= 3 })
        {
            errors.Add("carSecurity.phoneNumbers", "One to three phone numbers, in the order to call them.");
        }
        else
        {
            AccountValidation.PhoneNumbers(r.PhoneNumbers, errors);
        }
        Text(r.SecurityQuestion, "carSecurity.securityQuestion", 5, 200, errors);
        Text(r.SecurityAnswer, "carSecurity.securityAnswer", 2, 100, errors);
        Text(r.Colour, "carSecurity.colour", 2, 40, errors);
        Text(r.RegistrationNumber, "carSecurity.registrationNumber", 2, 20, errors);
        return errors.Any
            ? null
            : new CarSecurityDetails(r.PhoneNumbers!, r.SecurityQuestion!.Trim(), Hasher.HashPassword(new object(), Normalize(r.SecurityAnswer!)),
                r.Colour!.Trim(), r.RegistrationNumber!.Trim());
    }

    /// <summary>For the security centre's identity check (REQUIREMENTS E): does a spoken answer match the stored hash?</summary>
    public static bool AnswerMatches(string hash, string answer) =>
        Hasher.VerifyHashedPassword(new object(), hash, Normalize(answer)) != PasswordVerificationResult.Failed;

    private static string Normalize(string answer) => answer.Trim().ToUpperInvariant();

    private static void Text(string? value, string field, int min, int max, ValidationErrors errors)
    {
        if (value is null || value.Trim().Length < min || value.Trim().Length > max)
        {
            errors.Add(field, $"{min} to {max} characters.");
        }
    }
}

internal sealed record WrittenCancellationRequest(string? Reference);

public sealed record FitResponse(string Model, int? FromYear, int? ToYear);

internal sealed record PackageResponse(
    string Id, string Name, IReadOnlyList<string> Services, int TermMonths, long PriceMinor, string Currency, IReadOnlyList<FitResponse> Fits,
    bool NeedsCarSecurityDetails, bool Active)
{
    public static PackageResponse From(Package p) => new(p.Id, p.Name, p.Services, p.TermMonths, p.PriceMinor, p.Currency,
        p.Fits.Select(f => new FitResponse(f.Model, f.FromYear, f.ToYear)).ToList(), p.NeedsCarSecurityDetails, p.Active);
}

/// <param name="NotAvailable">Null when it can be bought; else not_sold, model_not_eligible, model_year_not_eligible, already_active or vehicle_stolen.</param>
internal sealed record OfferResponse(PackageResponse Package, bool Available, string? NotAvailable);

/// <param name="State">active, withdrawn or expired; an active one with autoRenew false was cancelled and ends at endsAt.</param>
/// <param name="Included">Came with the car (no buyer, cannot be withdrawn); it stays with the car when the car changes hands.</param>
/// <param name="CancelChannel">app, customer_service, or buyer_left (auto-renewal stopped because the car left the buyer).</param>
/// <param name="BuyerLeftAt">When the car left its buyer (unpairing): the contract no longer serves the car; only the buyer sees it.</param>
internal sealed record ContractResponse(
    string Id, string Vin, string PackageId, string State, bool Included, bool AutoRenew, DateTimeOffset PurchasedAt, DateTimeOffset StartsAt,
    DateTimeOffset EndsAt, int Terms, long PriceMinor, string Currency, DateTimeOffset? CancelledAt, string? CancelChannel, string? CancelReference,
    DateTimeOffset? WithdrawnAt, long? RefundMinor, DateTimeOffset? BuyerLeftAt)
{
    public static ContractResponse From(ContractRecord c) => new(c.Id, c.Vin, c.PackageId, c.State, c.AccountId is null && !c.BuyerLeft, c.AutoRenew,
        c.PurchasedAt, c.StartsAt, c.EndsAt, c.Terms, c.PriceMinor, c.Currency, c.CancelledAt, c.CancelChannel, c.CancelReference, c.WithdrawnAt,
        c.RefundMinor, c.BuyerLeftAt);
}

/// <param name="Fits">Which vehicles the package fits; model "" = every model; a missing toYear = up to today.</param>
public sealed record SavePackageRequest(
    string? Name, IReadOnlyList<string>? Services, int? TermMonths, long? PriceMinor, string? Currency, IReadOnlyList<FitResponse>? Fits,
    bool? NeedsCarSecurityDetails, bool? Active)
{
    public Package? ToPackage(string id, ValidationErrors errors)
    {
        if (!System.Text.RegularExpressions.Regex.IsMatch(id, "^[a-z][a-z0-9_]{1,39}$"))
        {
            errors.Add("id", "Lower-case letters, digits and _; 2 to 40 characters.");
        }
        if (string.IsNullOrWhiteSpace(Name) || Name.Length > 100)
        {
            errors.Add("name", "1 to 100 characters.");
        }
        if (Services is not { Count: > 0 } || Services.Any(s => !System.Text.RegularExpressions.Regex.IsMatch(s, "^[a-z][a-z_]{1,39}$")))
        {
            errors.Add("services", "At least one service id (lower-case letters and _).");
        }
        if (TermMonths is not (>= 1 and <= 120))
        {
            errors.Add("termMonths", "1 to 120 months.");
        }
        if (PriceMinor is not (>= 0 and <= 100_000_000))
        {
            errors.Add("priceMinor", "0 or more, in the currency's minor unit.");
        }
        if (Currency is null || !System.Text.RegularExpressions.Regex.IsMatch(Currency, "^[A-Z]{3}$"))
        {
            errors.Add("currency", "An ISO 4217 code, e.g. EUR.");
        }
        if (Fits is not { Count: > 0 } || Fits.Any(f => f.Model is null || f.FromYear is < 1990 or > 2100 || f.ToYear < f.FromYear))
        {
            errors.Add("fits", "At least one rule: a model (\"\" for every model) and optional fromYear ≤ toYear.");
        }
        return errors.Any
            ? null
            : new Package(id, Name!.Trim(), Services!, TermMonths!.Value, PriceMinor!.Value, Currency!, Fits!.Select(f => new FitRule(f.Model, f.FromYear, f.ToYear)).ToList(),
                NeedsCarSecurityDetails ?? false, Active ?? true);
    }
}
