namespace Pitwall.Server.Features.Charging;

/// <summary>A token CPOs authorise (OCPI <c>TokenType</c> <c>RFID</c> or <c>APP_USER</c>) of one account, under its contract id.</summary>
internal sealed record ChargingToken(
    string Uid, string Type, string AccountId, string ContractId, string? VisualNumber, bool Valid, DateTimeOffset CreatedAt, DateTimeOffset LastUpdated)
{
    public const string Rfid = "RFID";
    public const string AppUser = "APP_USER";
}

/// <summary>An account's charging contract: its contract id and the car whose package grants the Charging Service.</summary>
internal sealed record ChargingContract(string AccountId, string Vin, string ContractId, DateTimeOffset CreatedAt);
