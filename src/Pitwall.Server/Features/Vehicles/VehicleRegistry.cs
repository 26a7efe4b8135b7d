using System.Security.Cryptography;
using Pitwall.Protocol;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Vehicles;

/// <summary>Registering vehicles: one at a time (API, CLI) or many from CSV.</summary>
public sealed class VehicleRegistry(VehicleStore store, TimeProvider time)
{
    public const string CsvHeader = VehicleCsv.Header;

    public static void Validate(RegisterVehicleRequest r, ValidationErrors errors, int maxModelYear)
    {
        if (!Vin.IsValid(r.Vin is null ? null : Vin.Normalize(r.Vin)))
        {
            errors.Add("vin", "A VIN is 17 characters: digits and letters except I, O and Q.");
        }
        if (string.IsNullOrWhiteSpace(r.Model) || r.Model.Length > 60)
        {
            errors.Add("model", "A model of at most 60 characters is required.");
        }
        if (r.ModelYear is null || r.ModelYear < 1990 || r.ModelYear > maxModelYear)
        {
            errors.Add("modelYear", $"The model year is between 1990 and {maxModelYear}.");
        }
        if (r.Colour is { Length: > 40 })
        {
            errors.Add("colour", "At most 40 characters.");
        }
        if (r.RegistrationNumber is { Length: > 20 })
        {
            errors.Add("registrationNumber", "At most 20 characters.");
        }
        if (r.Secret is not null && (!TryDecode(r.Secret, out var secret) || secret.Length < 16))
        {
            errors.Add("secret", "The secret is base64 of at least 16 bytes.");
        }
    }

    public int MaxModelYear => time.GetUtcNow().Year + 1;

    /// <returns>The registered vehicle and its secret, or null when the VIN exists.</returns>
    public async Task<RegisteredVehicleResponse?> RegisterAsync(RegisterVehicleRequest r, CancellationToken cancellationToken)
    {
        var secret = r.Secret is null ? RandomNumberGenerator.GetBytes(32) : Convert.FromBase64String(r.Secret);
        var vehicle = new Vehicle(Vin.Normalize(r.Vin!), r.Model!.Trim(), r.ModelYear!.Value, r.Colour?.Trim(), r.RegistrationNumber?.Trim(), time.GetUtcNow());
        return await store.TryRegisterAsync(vehicle, secret, cancellationToken)
            ? new RegisteredVehicleResponse(vehicle.Vin, vehicle.Model, vehicle.ModelYear, vehicle.Colour, vehicle.RegistrationNumber, Convert.ToBase64String(secret))
            : null;
    }

    /// <summary>
    /// Imports CSV with the header <see cref="CsvHeader"/> (secret optional; see <see cref="VehicleCsv"/> for the format).
    /// Without a secret column value, the secret is derived from <paramref name="fleetSecret"/> when given (as fleets
    /// provisioned by one key are), else random. Lines that fail are reported by their line number, the rest imported.
    /// </summary>
    public async Task<ImportResponse> ImportAsync(TextReader csv, byte[]? fleetSecret, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        int imported = 0, skipped = 0;
        await foreach (var row in VehicleCsv.ReadAsync(csv, cancellationToken))
        {
            if (row.Request is not { } request)
            {
                errors.Add(new ImportError(row.Line, row.Error!));
                continue;
            }
            var fieldErrors = new ValidationErrors();
            Validate(request, fieldErrors, MaxModelYear);
            if (fieldErrors.Any)
            {
                errors.Add(new ImportError(row.Line, string.Join(" ", fieldErrors.ToDictionary().Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))));
                continue;
            }
            if (request.Secret is null && fleetSecret is not null)
            {
                request = request with { Secret = Convert.ToBase64String(VehicleAuth.DeriveSecret(fleetSecret, Vin.Normalize(request.Vin!))) };
            }
            if (await RegisterAsync(request, cancellationToken) is null)
            {
                skipped++;
            }
            else
            {
                imported++;
            }
        }
        return new ImportResponse(imported, skipped, errors);
    }

    private static bool TryDecode(string base64, out byte[] bytes)
    {
        bytes = new byte[base64.Length];
        if (Convert.TryFromBase64String(base64, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }
        return false;
    }
}
