namespace Pitwall.Server.Features.Vehicles;

internal sealed record VehicleResponse(
    string Vin, string Model, int ModelYear, string? Colour, string? RegistrationNumber, string Role, bool Online, DateTimeOffset? LastSeenAt);

internal sealed record StartPairingRequest(string? Vin);

public sealed record PairingResponse(string Id, string Vin, DateTimeOffset ExpiresAt, bool CarOnline);

internal sealed record ConfirmPairingRequest(string? Code);

internal sealed record AddDriverRequest(string? Email);

public sealed record VehicleUserResponse(string AccountId, string Name, string Email, string Role);

internal sealed record CreateAccessKeyRequest(string? Purpose, int? ValidForSeconds);

internal sealed record AccessKeyResponse(string Key, string Purpose, DateTimeOffset ExpiresAt, string Url);

public sealed record RegisterVehicleRequest(string? Vin, string? Model, int? ModelYear, string? Colour, string? RegistrationNumber, string? Secret);

/// <param name="Secret">The link secret (base64), shown once; store it in the car.</param>
public sealed record RegisteredVehicleResponse(string Vin, string Model, int ModelYear, string? Colour, string? RegistrationNumber, string Secret);

public sealed record ImportResponse(int Imported, int Skipped, IReadOnlyList<ImportError> Errors);

public sealed record ImportError(int Line, string Message);
