using System.Net.Mail;
using System.Text.RegularExpressions;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Accounts;

/// <summary>Field rules for account data; each failure names the field (camelCase, as on the wire).</summary>
public static partial class AccountValidation
{
    public const int MinPasswordLength = 10;
    public const int MaxPasswordLength = 128;
    public const int MaxPhoneNumbers = 5;
    public static readonly IReadOnlyList<string> SupportedLanguages = ["en", "de", "fr"];

    public static void Email(string? email, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(email))
        {
            errors.Add("email", "An e-mail address is required.");
        }
        else if (email.Length > 254 || !MailAddress.TryCreate(email.Trim(), out var parsed) || parsed.Address != email.Trim() || !email.Contains('.', StringComparison.Ordinal))
        {
            errors.Add("email", "This is not a valid e-mail address.");
        }
    }

    public static void Password(string? password, ValidationErrors errors, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
        {
            errors.Add(field, $"The password needs at least {MinPasswordLength} characters.");
        }
        else if (password.Length > MaxPasswordLength)
        {
            errors.Add(field, $"The password may have at most {MaxPasswordLength} characters.");
        }
    }

    public static void Name(string? name, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            errors.Add("name", "A name is required.");
        }
        else if (name.Length > 200 || name.Any(char.IsControl))
        {
            errors.Add("name", "The name must be at most 200 printable characters.");
        }
    }

    public static void PhoneNumbers(IReadOnlyList<string>? numbers, ValidationErrors errors)
    {
        if (numbers is null)
        {
            return;
        }
        if (numbers.Count > MaxPhoneNumbers)
        {
            errors.Add("phoneNumbers", $"At most {MaxPhoneNumbers} phone numbers.");
        }
        for (var i = 0; i < numbers.Count; i++)
        {
            if (numbers[i] is null || !E164().IsMatch(numbers[i]))
            {
                errors.Add($"phoneNumbers[{i}]", "Phone numbers are in international E.164 form, e.g. +4971112345678.");
            }
        }
    }

    public static void Address(PostalAddress? address, ValidationErrors errors)
    {
        if (address is null)
        {
            return;
        }
        if (string.IsNullOrWhiteSpace(address.Street) || address.Street.Length > 200)
        {
            errors.Add("address.street", "A street of at most 200 characters is required.");
        }
        if (string.IsNullOrWhiteSpace(address.PostalCode) || address.PostalCode.Length > 20)
        {
            errors.Add("address.postalCode", "A postal code of at most 20 characters is required.");
        }
        if (string.IsNullOrWhiteSpace(address.City) || address.City.Length > 100)
        {
            errors.Add("address.city", "A city of at most 100 characters is required.");
        }
        if (address.Country is null || !CountryCode().IsMatch(address.Country))
        {
            errors.Add("address.country", "The country is an ISO 3166-1 alpha-2 code, e.g. DE.");
        }
    }

    /// <summary>An IANA time zone id this machine knows (e.g. Europe/Berlin); null or empty: the browser's.</summary>
    public static void TimeZone(string? zone, ValidationErrors errors)
    {
        if (!string.IsNullOrEmpty(zone) && !IsTimeZone(zone))
        {
            errors.Add("timeZone", "A time zone such as Europe/Berlin, or empty for the browser's.");
        }
    }

    public static bool IsTimeZone(string zone) =>
        zone.Length <= 64 && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out var found) && found.HasIanaId;

    public static void Locale(string? locale, ValidationErrors errors)
    {
        if (locale is null)
        {
            return;
        }
        var match = LocaleTag().Match(locale);
        if (!match.Success || !SupportedLanguages.Contains(match.Groups[1].Value))
        {
            errors.Add("locale", $"The locale is a language ({string.Join(", ", SupportedLanguages)}) with an optional region, e.g. de-DE.");
        }
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex("^[A-Z]{2}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex("^([a-z]{2})(-[A-Z]{2})?$")]
    private static partial Regex LocaleTag();
}
