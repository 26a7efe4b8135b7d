using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Charging;

/// <summary>The account's charging contract and tokens as the owner API and the portal show them.</summary>
public sealed record ChargingCardsResponse(string? ContractId, string? ContractVin, IReadOnlyList<ChargingTokenResponse> Tokens);

public sealed record ChargingTokenResponse(string Uid, string Type, string ContractId, string? VisualNumber, bool Valid, DateTimeOffset IssuedAt, DateTimeOffset LastUpdated);

/// <summary>The uses of the Charging Service: a card is the account's, not the car's — the car's switches do not concern it.</summary>
public static class ChargingServiceUses
{
    /// <summary>Ordering or blocking a charging card: any user of the car (each orders for their own account).</summary>
    public static readonly ServiceUse Cards = new("charging_cards", false, CarSwitches.None);

    /// <summary>Starting, stopping or unlocking at a public station: any user of the car, with their own account's contract; the
    /// command goes to the station's operator, nothing to or from the car.</summary>
    public static readonly ServiceUse Stations = new("charging_stations", false, CarSwitches.None);
}

/// <summary>The portal's and the owner API's view of the cards (Web pages use it through this interface).</summary>
public interface IChargingCards
{
    Task<ChargingCardsResponse> ListAsync(string accountId, CancellationToken cancellationToken);

    /// <summary>Orders an RFID card for the account under its contract (created on first use, with the app's token), for the car
    /// whose package grants the service.</summary>
    Task<ChargingTokenResponse> OrderAsync(string accountId, string vin, CancellationToken cancellationToken);

    /// <summary>Blocks one of the account's cards; false when it has no such valid card.</summary>
    Task<bool> BlockAsync(string accountId, string uid, CancellationToken cancellationToken);
}

internal sealed class ChargingCards(ChargingTokenStore tokens, IOptions<ChargingOptions> options) : IChargingCards
{
    public async Task<ChargingCardsResponse> ListAsync(string accountId, CancellationToken cancellationToken)
    {
        var contract = await tokens.ContractAsync(accountId, cancellationToken);
        var list = await tokens.OfAccountAsync(accountId, cancellationToken);
        return new(contract?.ContractId, contract?.Vin, [.. list.Select(From)]);
    }

    public async Task<ChargingTokenResponse> OrderAsync(string accountId, string vin, CancellationToken cancellationToken)
    {
        var contract = await tokens.EnsureContractAsync(accountId, vin, ContractIds.New(options.Value.CountryCode, options.Value.PartyId), cancellationToken);
        return From(await tokens.OrderCardAsync(contract, cancellationToken));
    }

    public Task<bool> BlockAsync(string accountId, string uid, CancellationToken cancellationToken) => tokens.BlockAsync(accountId, uid, cancellationToken);

    private static ChargingTokenResponse From(ChargingToken t) => new(t.Uid, t.Type, t.ContractId, t.VisualNumber, t.Valid, t.CreatedAt, t.LastUpdated);
}
