using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Ocpi;

namespace Pitwall.Server.Features.Charging;

public sealed record ChargePriceResponse(decimal ExclVat, decimal? InclVat, string Currency);

public sealed record ChargeLocationResponse(string Id, string? Name, string? Address, string? City, string? Country, string? EvseId);

/// <summary>One charge of the account's history (G2): where, which operator (its OCPI party), energy, duration and cost.</summary>
public sealed record ChargeResponse(
    string CdrId, string? SessionId, string ContractId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, double DurationMinutes, decimal EnergyKwh,
    ChargePriceResponse Cost, ChargeLocationResponse Location, string Operator);

/// <summary>The account's charges from the CDRs operators sent (kept 90 days), newest first.</summary>
internal static class ChargingHistory
{
    public const int MaxCharges = 200;

    public static ChargeResponse From(StoredCdr cdr)
    {
        var location = cdr.Body["cdr_location"] as JsonObject ?? [];
        var cost = cdr.Body["total_cost"] as JsonObject ?? [];
        return new(
            cdr.Id, cdr.SessionId, cdr.ContractId, cdr.StartAt, cdr.EndAt, Math.Round((cdr.EndAt - cdr.StartAt).TotalMinutes, 1), cdr.TotalEnergy,
            new(cost.Number("excl_vat") ?? cdr.TotalCost, cost.Number("incl_vat"), cdr.Currency),
            new(location.Text("id") ?? "", location.Text("name"), location.Text("address"), location.Text("city"), location.Text("country"), location.Text("evse_id")),
            $"{cdr.CountryCode}*{cdr.PartyId}");
    }
}
