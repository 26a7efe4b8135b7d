using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using Pitwall.Server.Features.Charging.Ocpi;
using Pitwall.Server.Features.Privacy.Processors;
using Pitwall.Server.Hosting;

namespace Pitwall.Server.Features.Charging.Commands;

/// <summary>
/// Sends the accounts' commands to the operators (OCPI 2.2.1 Commands, Pitwall the Sender): <c>START_SESSION</c> at an EVSE with the
/// account's app token (authorised by Pitwall first, as the specification asks of the eMSP), <c>STOP_SESSION</c> of one of the
/// account's sessions, <c>UNLOCK_CONNECTOR</c>. Each command is stored before it leaves, with a <c>response_url</c> unique to it;
/// the operator's answer (CommandResponse) and later the charge point's result (CommandResult) complete it, or the deadline the
/// operator's <c>timeout</c> sets ends it as <c>TIMEOUT</c>.
/// </summary>
internal sealed class ChargingCommandSender(
    ChargingCommandStore store, PartnerStore partners, PartnerObjectStore objects, ChargeRecordStore records, ChargingTokenStore tokens, TokenAuthorizer authorizer,
    OcpiPeerClient peers, OcpiUrls urls, ProcessorGateway gateway, ChargingCommandEvents events, IOptions<ChargingOptions> options, TimeProvider time)
{
    public async Task<(ChargingCommand? Command, Refusal? Refusal)> StartAsync(
        HttpRequest request, string accountId, string vin, string? evse, string? connectorId, CancellationToken cancellationToken)
    {
        var (found, refusal) = await EvseAsync(evse, connectorId, cancellationToken);
        if (found is null)
        {
            return (null, refusal);
        }
        var contract = await tokens.EnsureContractAsync(accountId, vin, ContractIds.New(options.Value.CountryCode, options.Value.PartyId), cancellationToken);
        var app = (await tokens.OfAccountAsync(contract.AccountId, cancellationToken)).First(t => t.Type == ChargingToken.AppUser);
        var authorisation = await authorizer.AuthorizeAsync(app.Uid, app.Type, cancellationToken);
        if (authorisation?.Allowed is not Allowed.Yes)
        {
            return (null, ChargingRefusals.NotAllowed(authorisation?.Allowed ?? Allowed.NotAllowed));
        }
        var command = New(accountId, vin, found.PartnerId, CommandTypes.StartSession) with
        {
            LocationId = found.LocationId, EvseUid = found.EvseUid, EvseId = found.EvseId, ConnectorId = connectorId,
        };
        var body = new JsonObject
        {
            ["response_url"] = urls.CommandResult(request, command.Command, command.Id),
            ["token"] = TokensEndpoints.Release(gateway, app, options.Value),
            ["location_id"] = found.LocationId,
            ["evse_uid"] = found.EvseUid,
            ["connector_id"] = connectorId,
            ["authorization_reference"] = command.Id,
        };
        return await SendAsync(found.Partner, command, body, cancellationToken);
    }

    public async Task<(ChargingCommand? Command, Refusal? Refusal)> StopAsync(
        HttpRequest request, string accountId, string vin, string sessionId, CancellationToken cancellationToken)
    {
        if (await records.SessionOfAccountAsync(accountId, sessionId, cancellationToken) is not var (partnerId, session))
        {
            return (null, ChargingRefusals.NoSuchSession);
        }
        if (session.Text("status") is not ("ACTIVE" or "PENDING"))
        {
            return (null, ChargingRefusals.SessionEnded);
        }
        if (await RegisteredAsync(partnerId, cancellationToken) is not { } partner)
        {
            return (null, ChargingRefusals.CommandsNotSupported);
        }
        var command = New(accountId, vin, partnerId, CommandTypes.StopSession) with
        {
            SessionId = sessionId, LocationId = session.Text("location_id"), EvseUid = session.Text("evse_uid"), ConnectorId = session.Text("connector_id"),
        };
        var body = new JsonObject { ["response_url"] = urls.CommandResult(request, command.Command, command.Id), ["session_id"] = sessionId };
        return await SendAsync(partner, command, body, cancellationToken);
    }

    public async Task<(ChargingCommand? Command, Refusal? Refusal)> UnlockAsync(
        HttpRequest request, string accountId, string vin, string? evse, string? connectorId, CancellationToken cancellationToken)
    {
        var (found, refusal) = await EvseAsync(evse, connectorId, cancellationToken);
        if (found is null)
        {
            return (null, refusal);
        }
        var command = New(accountId, vin, found.PartnerId, CommandTypes.UnlockConnector) with
        {
            LocationId = found.LocationId, EvseUid = found.EvseUid, EvseId = found.EvseId, ConnectorId = connectorId ?? found.ConnectorIds[0],
        };
        var body = new JsonObject
        {
            ["response_url"] = urls.CommandResult(request, command.Command, command.Id),
            ["location_id"] = found.LocationId,
            ["evse_uid"] = found.EvseUid,
            ["connector_id"] = command.ConnectorId,
        };
        return await SendAsync(found.Partner, command, body, cancellationToken);
    }

    private ChargingCommand New(string accountId, string vin, string partnerId, string type)
    {
        var now = time.GetUtcNow();
        // Until the operator answers: its HTTP timeout and a margin (a crash in between must not leave the command open).
        var deadline = now + options.Value.PartnerTimeout + TimeSpan.FromSeconds(5);
        return new(Guid.NewGuid().ToString("N"), accountId, vin, partnerId, type, null, null, null, null, null, ChargingCommand.Sending, null, null, null,
            deadline, now, now);
    }

    private async Task<(ChargingCommand? Command, Refusal? Refusal)> SendAsync(Partner partner, ChargingCommand command, JsonObject body, CancellationToken cancellationToken)
    {
        foreach (var name in body.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            body.Remove(name); // optional fields are left out rather than sent as null
        }
        await store.AddAsync(command, cancellationToken);
        var (_, envelope) = await peers.SendAsync(HttpMethod.Post, CommandsUrl(partner)! + "/" + command.Command, partner.TokenB!, body, cancellationToken);
        var data = envelope?["data"] as JsonObject;
        var status = envelope?["status_code"] is JsonValue code && code.TryGetValue<int>(out var s) ? s : 0;
        var response = data?.Text("result") is { } result && CommandTypes.Responses.Contains(result) ? result
            : status is >= 2000 and < 3000 ? "REJECTED" // e.g. 2003 unknown location: the diagram of the specification answers REJECTED
            : null;
        var message = (data?["message"] as JsonArray)?.OfType<JsonObject>().Select(m => m.Text("text")).FirstOrDefault(t => t is not null)
                      ?? (status is not OcpiStatus.Success ? envelope?.Text("status_message") ?? (envelope is null ? "The operator could not be reached." : null) : null);
        var timeout = data?.Number("timeout") is { } seconds && seconds > 0
            ? TimeSpan.FromSeconds(Math.Clamp((double)seconds, 5, options.Value.MaxCommandTimeout.TotalSeconds))
            : options.Value.CommandTimeout;
        var now = time.GetUtcNow();
        await store.AnsweredAsync(command.Id, response, message, now + timeout, cancellationToken);
        await events.PublishAsync(command.Id, cancellationToken);
        return ((await store.FindAsync(command.AccountId, command.Id, cancellationToken))!.At(now), null);
    }

    /// <summary>The EVSE the driver means, at a registered operator that takes commands.</summary>
    private async Task<(FoundEvse? Evse, Refusal? Refusal)> EvseAsync(string? text, string? connectorId, CancellationToken cancellationToken)
    {
        if (EvseIds.Parse(text) is not { } evseId)
        {
            return (null, Refusal.Invalid("evse", "An EVSE ID such as DE*ABC*E123456*1, or the URL of the station's QR code."));
        }
        var (countryCode, partyId) = EvseIds.Party(evseId);
        foreach (var (partnerId, location) in await objects.LocationsMentioningAsync(countryCode, partyId, evseId, cancellationToken))
        {
            var evse = (location["evses"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => EvseIds.Same(e.Text("evse_id"), evseId));
            if (evse?.Text("uid") is not { } evseUid || evse.Text("status") == "REMOVED")
            {
                continue;
            }
            var connectors = (evse["connectors"] as JsonArray)?.OfType<JsonObject>().Select(c => c.Text("id")).OfType<string>().ToList() ?? [];
            if (connectors.Count == 0 || (connectorId is not null && !connectors.Contains(connectorId)))
            {
                return (null, Refusal.Invalid("connectorId", "This EVSE has no such connector."));
            }
            if (await RegisteredAsync(partnerId, cancellationToken) is not { } partner)
            {
                return (null, ChargingRefusals.CommandsNotSupported);
            }
            return (new(partner, partnerId, location.Text("id")!, evseUid, evse.Text("evse_id")!, connectors), null);
        }
        return (null, ChargingRefusals.UnknownEvse);
    }

    /// <summary>The partner, when it is registered and has a commands endpoint (Receiver) to send to.</summary>
    private async Task<Partner?> RegisteredAsync(string partnerId, CancellationToken cancellationToken) =>
        await partners.FindAsync(partnerId, cancellationToken) is { State: Partner.Registered, TokenB: not null } partner && CommandsUrl(partner) is not null ? partner : null;

    private static string? CommandsUrl(Partner partner)
    {
        if (partner.Endpoints is null || JsonNode.Parse(partner.Endpoints) is not JsonArray endpoints)
        {
            return null;
        }
        return endpoints.OfType<JsonObject>().FirstOrDefault(e => e.Text("identifier") == "commands" && e.Text("role") is null or "RECEIVER")?.Text("url")?.TrimEnd('/');
    }

    private sealed record FoundEvse(Partner Partner, string PartnerId, string LocationId, string EvseUid, string EvseId, IReadOnlyList<string> ConnectorIds);
}
