using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging;
using Pitwall.Server.Features.Charging.Commands;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>
/// OCPI 2.2.1 Commands with Pitwall as the Sender and the CPO simulator as the Receiver: app start by the station's QR code, remote
/// stop, unlock; the CommandResponse and the asynchronous CommandResult at the response_url; an unknown location, a rejected
/// command and a result that never comes (TIMEOUT) — each checked against the object definitions of the specification.
/// </summary>
public abstract class ChargingCommandTests(PitwallServer server)
{
    private static readonly Station Heidelberg = Stations.RhineNeckar()[3];

    private static string EvseId(string party, Station station) => (string)OcpiObjects.Evse("DE", party, station, 1, "AVAILABLE", DateTimeOffset.UnixEpoch)["evse_id"]!;

    private async Task<(OwnedVehicle Driver, RegisteredCpo Cpo)> StationAsync(string party)
    {
        var (driver, _) = await server.DriverWithCardAsync();
        var cpo = await server.RegisteredCpoAsync(party);
        Assert.Equal(HttpStatusCode.Created, (await cpo.Client.PutLocationAsync(OcpiObjects.Location("DE", party, Heidelberg, server.Clock.GetUtcNow()), CancellationToken.None)).Http);
        return (driver, cpo);
    }

    private static async Task<JsonElement> SendAsync(OwnedVehicle driver, object body, HttpStatusCode expected = HttpStatusCode.Accepted)
    {
        var response = await driver.Client.PostAsJsonAsync($"/api/v1/vehicles/{driver.Vin}/charging-commands", body);
        Assert.Equal(expected, response.StatusCode);
        return await response.JsonAsync();
    }

    private static async Task<JsonElement> GetAsync(OwnedVehicle driver, JsonElement command) =>
        await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-commands/{command.GetProperty("id").GetString()}")).JsonAsync();

    [Fact]
    public async Task The_app_starts_charging_by_the_stations_qr_code_and_stops_it_remotely_then_the_cdr_arrives()
    {
        var (driver, cpo) = await StationAsync("QRS");
        await using var _ = cpo;
        var started = await SendAsync(driver, new { type = "start_session", evse = $"https://qr.example.com/evse/{Uri.EscapeDataString(EvseId("QRS", Heidelberg))}" });
        Assert.Equal("start_session", started.GetProperty("type").GetString());
        Assert.Equal("ACCEPTED", started.GetProperty("response").GetString());
        Assert.Equal(Heidelberg.Id, started.GetProperty("locationId").GetString());

        // The StartSession object the CPO received: the fields 2.2.1 requires, the full Token of the app (never an account id).
        var (type, body) = Assert.Single(cpo.Commands.Received);
        Assert.Equal("START_SESSION", type);
        Assert.EndsWith($"/ocpi/2.2.1/commands/START_SESSION/{started.GetProperty("id").GetString()}", (string)body["response_url"]!, StringComparison.Ordinal);
        Assert.Equal(Heidelberg.Id, (string?)body["location_id"]);
        Assert.Equal(OcpiObjects.EvseUid(Heidelberg, 1), (string?)body["evse_uid"]);
        Assert.Null(body["connector_id"]); // optional and not given: left out, not null
        var token = (JsonObject)body["token"]!;
        foreach (var field in new[] { "country_code", "party_id", "uid", "type", "contract_id", "issuer", "valid", "whitelist", "last_updated" })
        {
            Assert.NotNull(token[field]);
        }
        Assert.Equal("APP_USER", (string?)token["type"]);
        Assert.DoesNotContain(driver.AccountId, body.ToJsonString(), StringComparison.Ordinal);

        await cpo.Commands.IdleAsync();
        var performed = await GetAsync(driver, started);
        Assert.Equal("performed", performed.GetProperty("status").GetString());
        Assert.Equal("ACCEPTED", performed.GetProperty("result").GetString());
        var sessionId = Assert.Single(cpo.Commands.RunningSessions);
        var session = await server.Get<ChargeRecordStore>().SessionOfAccountAsync(driver.AccountId, sessionId, CancellationToken.None);
        Assert.Equal("COMMAND", (string?)session!.Value.Body["auth_method"]);
        Assert.Equal(started.GetProperty("id").GetString(), (string?)session.Value.Body["authorization_reference"]);

        server.Clock.Advance(TimeSpan.FromMinutes(10)); // (within the access token's life)
        var stop = await SendAsync(driver, new { type = "stop_session", sessionId });
        Assert.Equal(sessionId, stop.GetProperty("sessionId").GetString());
        await cpo.Commands.IdleAsync();
        Assert.Equal("performed", (await GetAsync(driver, stop)).GetProperty("status").GetString());
        var cdr = Assert.Single(await server.Get<ChargeRecordStore>().CdrsOfAsync(driver.AccountId, 10, CancellationToken.None));
        Assert.Equal(sessionId, cdr.SessionId);
        Assert.True(cdr.TotalEnergy > 0);

        // Stopping it again: the session has ended.
        var again = await SendAsync(driver, new { type = "stop_session", sessionId }, HttpStatusCode.Conflict);
        Assert.Equal(ChargingErrorCodes.SessionEnded, again.GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_unknown_evse_is_404_and_a_location_the_operator_does_not_know_is_rejected_with_2003()
    {
        var (driver, cpo) = await StationAsync("UNL");
        await using var _ = cpo;
        var unknown = await SendAsync(driver, new { type = "start_session", evse = "DE*UNL*E9999999*1" }, HttpStatusCode.NotFound);
        Assert.Equal(ChargingErrorCodes.UnknownEvse, unknown.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await driver.Client.PostAsJsonAsync($"/api/v1/vehicles/{driver.Vin}/charging-commands",
            new { type = "start_session", evse = "not an evse" })).StatusCode);

        // A station Pitwall still lists but the operator no longer runs: the CPO answers 2003 with REJECTED, nothing is awaited.
        var gone = Heidelberg with { Id = "GONE0001" };
        await cpo.Client.PutLocationAsync(OcpiObjects.Location("DE", "UNL", gone, server.Clock.GetUtcNow()), CancellationToken.None);
        var rejected = await SendAsync(driver, new { type = "unlock_connector", evse = EvseId("UNL", gone) });
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("REJECTED", rejected.GetProperty("response").GetString());
        Assert.Equal(JsonValueKind.Null, rejected.GetProperty("resultDueBy").ValueKind);

        var unlocked = await SendAsync(driver, new { type = "unlock_connector", evse = EvseId("UNL", Heidelberg), connectorId = "1" });
        await cpo.Commands.IdleAsync();
        Assert.Equal("performed", (await GetAsync(driver, unlocked)).GetProperty("status").GetString());
        Assert.Equal("1", (string?)cpo.Commands.Received.Last().Body["connector_id"]);
    }

    [Fact]
    public async Task A_result_that_never_comes_ends_as_timeout_after_the_operators_timeout_and_a_late_one_changes_nothing()
    {
        var (driver, cpo) = await StationAsync("TMO");
        await using var _ = cpo;
        cpo.Commands.SendResults = false;
        cpo.Commands.TimeoutSeconds = 45;
        var sent = await SendAsync(driver, new { type = "start_session", evse = EvseId("TMO", Heidelberg) });
        Assert.Equal("accepted", sent.GetProperty("status").GetString());
        Assert.Equal(server.Clock.GetUtcNow().AddSeconds(45), sent.GetProperty("resultDueBy").GetDateTimeOffset());

        server.Clock.Advance(TimeSpan.FromSeconds(44));
        Assert.Equal("accepted", (await GetAsync(driver, sent)).GetProperty("status").GetString());
        server.Clock.Advance(TimeSpan.FromSeconds(2));
        await server.Get<CommandTimeoutJob>().RunOnceAsync(CancellationToken.None);
        var timedOut = await GetAsync(driver, sent);
        Assert.Equal("failed", timedOut.GetProperty("status").GetString());
        Assert.Equal("TIMEOUT", timedOut.GetProperty("result").GetString());

        var responseUrl = (string)cpo.Commands.Received.Single().Body["response_url"]!;
        var late = await cpo.Client.SendAsync(HttpMethod.Post, responseUrl, new JsonObject { ["result"] = "ACCEPTED" }, CancellationToken.None);
        Assert.Equal(1000, late.StatusCode);
        Assert.Equal("TIMEOUT", (await GetAsync(driver, sent)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task The_result_callback_follows_the_specification_and_only_the_partner_the_command_went_to_reaches_it()
    {
        var (driver, cpo) = await StationAsync("CBK");
        await using var _ = cpo;
        await using var other = await server.RegisteredCpoAsync("OTH");
        cpo.Commands.SendResults = false;
        var sent = await SendAsync(driver, new { type = "start_session", evse = EvseId("CBK", Heidelberg), connectorId = "1" });
        var responseUrl = (string)cpo.Commands.Received.Single().Body["response_url"]!;

        Assert.Equal(2001, (await cpo.Client.SendAsync(HttpMethod.Post, responseUrl, new JsonObject { ["result"] = "MAYBE" }, CancellationToken.None)).StatusCode);
        Assert.Equal(2001, (await cpo.Client.SendAsync(HttpMethod.Post, responseUrl, new JsonObject { ["message"] = "no result" }, CancellationToken.None)).StatusCode);
        var foreign = await other.Client.SendAsync(HttpMethod.Post, responseUrl, new JsonObject { ["result"] = "ACCEPTED" }, CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, foreign.Http);
        var wrongType = await cpo.Client.SendAsync(HttpMethod.Post, responseUrl.Replace("START_SESSION", "STOP_SESSION", StringComparison.Ordinal),
            new JsonObject { ["result"] = "ACCEPTED" }, CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, wrongType.Http);
        Assert.Equal("accepted", (await GetAsync(driver, sent)).GetProperty("status").GetString());

        var occupied = await cpo.Client.SendAsync(HttpMethod.Post, responseUrl, new JsonObject
        {
            ["result"] = "EVSE_OCCUPIED",
            ["message"] = new JsonArray(new JsonObject { ["language"] = "en", ["text"] = "Another car is charging here." }),
        }, CancellationToken.None);
        Assert.Equal(HttpStatusCode.OK, occupied.Http);
        Assert.Equal(1000, occupied.StatusCode);
        Assert.Null(occupied.Envelope!["data"]);
        var failed = await GetAsync(driver, sent);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("EVSE_OCCUPIED", failed.GetProperty("result").GetString());
        Assert.Equal("Another car is charging here.", failed.GetProperty("message").GetString());

        // Someone else's command reads as one that does not exist; a session that is not the account's cannot be stopped.
        var (stranger, _) = await server.DriverWithCardAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.GetAsync($"/api/v1/vehicles/{stranger.Vin}/charging-commands/{sent.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Client.PostAsJsonAsync($"/api/v1/vehicles/{stranger.Vin}/charging-commands",
            new { type = "stop_session", sessionId = "S0000" })).StatusCode);
    }

    [Fact]
    public async Task The_running_session_shows_energy_duration_and_cost_so_far_with_the_cars_charging_state()
    {
        var (driver, cpo) = await StationAsync("LSV");
        await using var _ = cpo;
        Assert.Empty((await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-sessions")).JsonAsync()).EnumerateArray());
        await SendAsync(driver, new { type = "start_session", evse = EvseId("LSV", Heidelberg) });
        await cpo.Commands.IdleAsync();
        server.Clock.Advance(TimeSpan.FromMinutes(6));
        await cpo.Commands.MeterAsync(CancellationToken.None);

        var live = Assert.Single((await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-sessions")).JsonAsync()).EnumerateArray());
        Assert.Equal("ACTIVE", live.GetProperty("status").GetString());
        Assert.Equal(6, live.GetProperty("durationMinutes").GetDouble());
        var kwh = live.GetProperty("energyKwh").GetDecimal();
        Assert.True(kwh > 0);
        Assert.Equal("operator", live.GetProperty("costSource").GetString());
        Assert.Equal(Math.Round(kwh * ChargeSession.PricePerKwh, 2), live.GetProperty("cost").GetProperty("exclVat").GetDecimal());
        Assert.Equal(EvseId("LSV", Heidelberg), live.GetProperty("location").GetProperty("evseId").GetString());
        Assert.Equal(driver.Vin, live.GetProperty("car").GetProperty("vin").GetString()); // the car the app started it for
    }

    [Fact]
    public void A_tariff_prices_energy_time_parking_and_flat_fee_each_with_its_vat()
    {
        var tariff = OcpiObjects.Tariff("DE", "SIM", DateTimeOffset.UnixEpoch);
        Assert.Equal(new Pitwall.Server.Features.Charging.Sessions.TariffPrice(3.90m, 4.64m),
            Pitwall.Server.Features.Charging.Sessions.TariffPricer.Price(tariff, 10m, TimeSpan.FromHours(1), TimeSpan.Zero));
        var mixed = JsonNode.Parse("""
            {"elements": [{"price_components": [{"type": "ENERGY", "price": 0.30, "vat": 19, "step_size": 1}, {"type": "FLAT", "price": 1.00, "vat": 19, "step_size": 1}]},
                          {"price_components": [{"type": "TIME", "price": 2.00, "vat": 0, "step_size": 60}, {"type": "PARKING_TIME", "price": 6.00, "vat": 19, "step_size": 60}]}]}
            """)!.AsObject();
        // 20 kWh * 0.30 + 1.00 flat + 1.5 h * 2.00 + 0.5 h * 6.00 = 6 + 1 + 3 + 3 = 13.00; with VAT 7.14 + 1.19 + 3 + 3.57 = 14.90
        Assert.Equal(new Pitwall.Server.Features.Charging.Sessions.TariffPrice(13.00m, 14.90m),
            Pitwall.Server.Features.Charging.Sessions.TariffPricer.Price(mixed, 20m, TimeSpan.FromHours(1.5), TimeSpan.FromMinutes(30)));
    }
}

public sealed class ChargingCommandsOnSqlite(SqliteServer server) : ChargingCommandTests(server), IClassFixture<SqliteServer>;

public sealed class ChargingCommandsOnPostgres(PostgresServer server) : ChargingCommandTests(server), IClassFixture<PostgresServer>;
