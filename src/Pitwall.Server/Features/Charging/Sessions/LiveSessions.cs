using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Features.Charging.Ocpi;
using Pitwall.Server.Features.ChargingAndClimate;
using Pitwall.Server.Features.LiveEvents;
using Pitwall.Server.Features.Vehicles;

namespace Pitwall.Server.Features.Charging.Sessions;

/// <summary>
/// The live view of a running charge at a public station (G2): energy and duration from the operator's session updates, the cost so
/// far from the session's <c>total_cost</c> or else priced by the connector's tariff, and — when the car is one of the account's cars —
/// the car's own E-Control charging state beside it. The car is the one the app started the session for (the command named in the
/// session's <c>authorization_reference</c>), else the car of the account's charging contract. Each session update the operator
/// pushes goes to the account's apps live as <c>charging.session</c>.
/// </summary>
internal sealed class LiveSessions(
    ChargeRecordStore records, PartnerObjectStore objects, ChargingCommandStore commands, ChargingTokenStore tokens, IVehicleAccess access,
    ChargingAndClimateReader cars, LiveEventHub hub, TimeProvider time)
{
    public const string EventType = "charging.session";

    public async Task<IReadOnlyList<LiveChargingSessionResponse>> RunningAsync(string accountId, CancellationToken cancellationToken)
    {
        var list = new List<LiveChargingSessionResponse>();
        foreach (var (partnerId, body) in await records.RunningOfAsync(accountId, cancellationToken))
        {
            list.Add(await ViewAsync(accountId, partnerId, body, cancellationToken));
        }
        return list;
    }

    /// <summary>After an operator's update of one of the account's sessions: the new view to the account's apps.</summary>
    public async Task PublishAsync(string accountId, string partnerId, JsonObject session, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(accountId, partnerId, session, cancellationToken);
        hub.Publish(new LiveEvent(view.Car?.Vin ?? "", EventType, view, time.GetUtcNow(), accountId));
    }

    private async Task<LiveChargingSessionResponse> ViewAsync(string accountId, string partnerId, JsonObject session, CancellationToken cancellationToken)
    {
        var countryCode = session.Text("country_code") ?? "";
        var partyId = session.Text("party_id") ?? "";
        OcpiJson.TryParseTime(session.Text("start_date_time"), out var start);
        var end = OcpiJson.TryParseTime(session.Text("end_date_time"), out var ended) ? ended : time.GetUtcNow();
        OcpiJson.TryParseTime(session.Text("last_updated"), out var lastUpdated);
        var kwh = session.Number("kwh") ?? 0;
        var location = await objects.GetAsync(PartnerTable.Locations, partnerId, countryCode, partyId, session.Text("location_id") ?? "", cancellationToken);
        var evse = (location?["evses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => e.Text("uid") == session.Text("evse_uid"));
        var currency = session.Text("currency") ?? "EUR";
        var (cost, source) = (session["total_cost"] as JsonObject)?.Number("excl_vat") is { } excl
            ? (new ChargePriceResponse(excl, ((JsonObject)session["total_cost"]!).Number("incl_vat"), currency), "operator")
            : await TariffCostAsync(partnerId, countryCode, partyId, evse, session.Text("connector_id"), kwh, end - start, currency, cancellationToken);
        var commandId = session.Text("authorization_reference");
        return new(
            session.Text("id") ?? "", session.Text("status") ?? "", start, Math.Round(Math.Max(0, (end - start).TotalMinutes), 1), kwh, cost, source,
            new(location?.Text("id") ?? session.Text("location_id") ?? "", location?.Text("name"), location?.Text("address"), location?.Text("city"),
                location?.Text("country"), evse?.Text("evse_id")),
            $"{countryCode}*{partyId}", commandId, lastUpdated, await CarAsync(accountId, commandId, cancellationToken));
    }

    private async Task<(ChargePriceResponse? Cost, string Source)> TariffCostAsync(
        string partnerId, string countryCode, string partyId, JsonObject? evse, string? connectorId, decimal kwh, TimeSpan duration, string currency,
        CancellationToken cancellationToken)
    {
        var connector = (evse?["connectors"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.Text("id") == connectorId);
        if ((connector?["tariff_ids"] as JsonArray)?.FirstOrDefault()?.GetValue<string>() is not { } tariffId)
        {
            return (null, "none");
        }
        var tariff = await objects.GetAsync(PartnerTable.Tariffs, partnerId, countryCode, partyId, tariffId, cancellationToken);
        return TariffPricer.Price(tariff, kwh, duration, TimeSpan.Zero) is { } price
            ? (new ChargePriceResponse(price.ExclVat, price.InclVat, tariff?.Text("currency") ?? currency), "tariff")
            : (null, "none");
    }

    private async Task<LinkedCarResponse?> CarAsync(string accountId, string? commandId, CancellationToken cancellationToken)
    {
        var vin = commandId is null ? null : (await commands.FindAsync(accountId, commandId, cancellationToken))?.Vin;
        vin ??= (await tokens.ContractAsync(accountId, cancellationToken))?.Vin;
        if (vin is null || await access.RoleOfAsync(accountId, vin, cancellationToken) is null)
        {
            return null;
        }
        var car = await cars.ChargingAsync(vin, cancellationToken);
        return new(vin, car.State.Value?.ToString(), car.StateOfCharge.Value, car.Power.Value, car.PlugState.Value?.ToString(), car.State.RecordedAt);
    }
}
