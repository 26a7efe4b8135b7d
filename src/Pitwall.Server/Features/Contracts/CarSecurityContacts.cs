using Dapper;
using Pitwall.Protocol;
using Pitwall.Server.Data;

namespace Pitwall.Server.Features.Contracts;

/// <summary>
/// The B2 data of a vehicle's running Car Security contract, as the security centre uses it: the phone numbers in the
/// order to call, the security question, colour and registration number. The answer's hash stays inside: callers can
/// only ask whether a spoken answer matches it.
/// </summary>
public sealed class CarSecurityContact(string contractId, string? accountId, IReadOnlyList<string> phoneNumbers, string securityQuestion,
    string securityAnswerHash, string colour, string registrationNumber)
{
    public string ContractId { get; } = contractId;

    /// <summary>The buyer; null once their account was erased.</summary>
    public string? AccountId { get; } = accountId;

    public IReadOnlyList<string> PhoneNumbers { get; } = phoneNumbers;

    public string SecurityQuestion { get; } = securityQuestion;

    public string Colour { get; } = colour;

    public string RegistrationNumber { get; } = registrationNumber;

    public bool AnswerMatches(string answer) => CarSecurityRequest.AnswerMatches(securityAnswerHash, answer);
}

/// <summary>What the car security feature may ask of the contracts feature about Car Security contracts.</summary>
public interface ICarSecurityContacts
{
    /// <summary>The B2 data of the vehicle's latest Car Security contract that has not ended, or null.</summary>
    Task<CarSecurityContact?> ForVehicleAsync(string vin, CancellationToken cancellationToken);

    /// <summary>Every vehicle with a running Car Security contract, and since when it has been covered without a break.</summary>
    Task<IReadOnlyList<(string Vin, DateTimeOffset Since)>> CoveredVehiclesAsync(DateTimeOffset now, CancellationToken cancellationToken);
}

internal sealed class CarSecurityContacts(Database database) : ICarSecurityContacts
{
    public Task<CarSecurityContact?> ForVehicleAsync(string vin, CancellationToken cancellationToken) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QueryFirstOrDefaultAsync<(string ContractId, string? AccountId, string Phones, string Question, string Hash, string Colour, string Registration)?>(
                """
                SELECT c.id, c.account_id, d.phone_numbers, d.security_question, d.security_answer_hash, d.colour, d.registration_number
                FROM contracts c JOIN car_security_details d ON d.contract_id = c.id
                WHERE c.vin = @vin AND c.package_id = @package AND c.state = 'active' AND c.buyer_left_at IS NULL
                ORDER BY c.purchased_at DESC LIMIT 1
                """, new { vin, package = Package.CarSecurity });
            return row is { } r
                ? new CarSecurityContact(r.ContractId, r.AccountId, System.Text.Json.JsonSerializer.Deserialize<List<string>>(r.Phones) ?? [], r.Question, r.Hash,
                    r.Colour, r.Registration)
                : null;
        }, cancellationToken);

    public async Task<IReadOnlyList<(string Vin, DateTimeOffset Since)>> CoveredVehiclesAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (await database.ReadAsync(c => c.QueryAsync<(string Vin, long Since)>(
            """
            SELECT c.vin, MIN(c.starts_at) FROM contracts c JOIN packages p ON p.id = c.package_id
            WHERE c.state = 'active' AND c.buyer_left_at IS NULL AND c.starts_at <= @now AND c.ends_at > @now AND (',' || p.services || ',') LIKE @service
            GROUP BY c.vin ORDER BY c.vin
            """, new { now = now.ToUnixTimeMilliseconds(), service = $"%,{ServiceIds.CarSecurity},%" }), cancellationToken))
        .Select(r => (r.Vin, DateTimeOffset.FromUnixTimeMilliseconds(r.Since))).ToList();
}
