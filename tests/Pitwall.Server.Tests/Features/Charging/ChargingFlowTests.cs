using System.Net;
using System.Text.Json.Nodes;
using Pitwall.Server.Tests.Infrastructure;
using Pitwall.Simulator.Cpo;

namespace Pitwall.Server.Tests.Features.Charging;

/// <summary>
/// The Charging Service end to end with the CPO simulator (real BNetzA stations): an RFID card at a station is authorised in real
/// time, the session runs, the CDR is stored and answered with its Location; blocked cards, ended contracts, unknown tokens and
/// other partners' data are refused with the OCPI answers.
/// </summary>
public abstract class ChargingFlowTests(PitwallServer server)
{
    private static readonly Station Mannheim = Stations.RhineNeckar()[0];

    [Fact]
    public async Task An_rfid_card_at_a_station_is_authorised_then_its_session_and_cdr_are_stored_once()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        Assert.Matches("^DE-PWL-C[0-9A-Z]{8}-[0-9A-Z]$", card.GetProperty("contractId").GetString()!);
        await using var cpo = await server.RegisteredCpoAsync("FLW");
        var ocpi = cpo.Client;
        Assert.Equal(HttpStatusCode.Created, (await ocpi.PutLocationAsync(OcpiObjects.Location("DE", "FLW", Mannheim, server.Clock.GetUtcNow()), CancellationToken.None)).Http);
        var tokens = await ocpi.AllTokensAsync(100, CancellationToken.None);
        var token = tokens.Single(t => (string?)t["uid"] == card.GetProperty("uid").GetString());
        Assert.Equal(card.GetProperty("contractId").GetString(), (string?)token["contract_id"]);
        Assert.DoesNotContain(driver.AccountId, token.ToJsonString(), StringComparison.Ordinal); // the contract id, never the account id

        var log = new StringWriter();
        var scenario = new CpoScenario(server.Client, server.Clock, log);
        Assert.True(await scenario.ChargeAsync(ocpi, Mannheim, token, 21.5m, CancellationToken.None), log.ToString());

        var evse = await ocpi.SendAsync(HttpMethod.Get, $"{ocpi.Endpoint("locations")}/DE/FLW/{Mannheim.Id}/{OcpiObjects.EvseUid(Mannheim, 1)}", null, CancellationToken.None);
        Assert.Equal("AVAILABLE", (string?)evse.Data!["status"]);
        var history = await server.Get<Pitwall.Server.Features.Charging.ChargeRecordStore>().CdrsOfAsync(driver.AccountId, 10, CancellationToken.None);
        var cdr = Assert.Single(history);
        Assert.Equal(21.5m, cdr.TotalEnergy);
        Assert.Equal(card.GetProperty("contractId").GetString(), cdr.ContractId);

        // The same CDR again: the same Location, nothing stored twice.
        var charge = new ChargeSession("DE", "FLW", Mannheim, 1, ChargingSetup.CdrToken(card), "AUTH_REQUEST", null);
        var start = server.Clock.GetUtcNow();
        var first = await ocpi.PostCdrAsync(charge.Cdr(start, start.AddHours(1), 5m, start.AddHours(1)), CancellationToken.None);
        Assert.Equal(HttpStatusCode.Created, first.Http);
        var again = await ocpi.PostCdrAsync(charge.Cdr(start, start.AddHours(1), 5m, start.AddHours(1)), CancellationToken.None);
        Assert.Equal(1000, again.StatusCode);
        Assert.Equal(first.Header("Location"), again.Header("Location"));
        Assert.Equal(2, (await server.Get<Pitwall.Server.Features.Charging.ChargeRecordStore>().CdrsOfAsync(driver.AccountId, 10, CancellationToken.None)).Count);
        var stored = await ocpi.SendAsync(HttpMethod.Get, first.Header("Location")!, null, CancellationToken.None);
        Assert.Equal("CDR-" + charge.Id, (string?)stored.Data!["id"]);

        // The driver's history: location, operator, energy, duration, cost.
        var charges = (await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/charging-history")).JsonAsync()).EnumerateArray().ToList();
        Assert.Equal(2, charges.Count);
        var simulated = charges.Single(c => c.GetProperty("energyKwh").GetDecimal() == 21.5m);
        Assert.Equal(Mannheim.City, simulated.GetProperty("location").GetProperty("city").GetString());
        Assert.Equal("DE*FLW", simulated.GetProperty("operator").GetString());
        Assert.Equal(45, simulated.GetProperty("durationMinutes").GetDouble());
        Assert.Equal(Math.Round(21.5m * ChargeSession.PricePerKwh, 2), simulated.GetProperty("cost").GetProperty("exclVat").GetDecimal());
    }

    [Fact]
    public async Task A_blocked_card_is_refused_as_blocked_and_an_unknown_one_is_404_with_2004()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("BLK");
        var uid = card.GetProperty("uid").GetString()!;
        Assert.Equal("ALLOWED", (string?)(await cpo.Client.AuthorizeAsync(uid, "RFID", Mannheim.Id, "E1", CancellationToken.None)).Data!["allowed"]);
        Assert.Equal(HttpStatusCode.NoContent, (await driver.Client.PostAsync($"/api/v1/vehicles/{driver.Vin}/charging-cards/{uid}/block", null)).StatusCode);

        var blocked = await cpo.Client.AuthorizeAsync(uid, "RFID", Mannheim.Id, "E1", CancellationToken.None);
        Assert.Equal("BLOCKED", (string?)blocked.Data!["allowed"]);
        Assert.False(blocked.Data["token"]!["valid"]!.GetValue<bool>());
        Assert.Null(blocked.Data["authorization_reference"]);

        var unknown = await cpo.Client.AuthorizeAsync("0011223344AABB", "RFID", Mannheim.Id, "E1", CancellationToken.None);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Http);
        Assert.Equal(2004, unknown.StatusCode);
        Assert.Null(unknown.Envelope!["data"]);
    }

    [Fact]
    public async Task A_card_whose_charging_package_has_ended_is_refused_as_expired()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("EXP");
        var contracts = await (await driver.Client.GetAsync($"/api/v1/vehicles/{driver.Vin}/contracts")).JsonAsync();
        var charging = contracts.EnumerateArray().Single(c => c.GetProperty("packageId").GetString() == "charging_service");
        await driver.Client.PostAsync($"/api/v1/contracts/{charging.GetProperty("id").GetString()}/cancel", null);
        server.Clock.Advance(charging.GetProperty("endsAt").GetDateTimeOffset() - server.Clock.GetUtcNow() + TimeSpan.FromMinutes(1));

        var expired = await cpo.Client.AuthorizeAsync(card.GetProperty("uid").GetString()!, "RFID", Mannheim.Id, "E1", CancellationToken.None);
        Assert.Equal("EXPIRED", (string?)expired.Data!["allowed"]);
    }

    [Fact]
    public async Task A_cdr_or_session_of_an_unknown_token_is_refused_with_2004_and_not_stored()
    {
        await using var cpo = await server.RegisteredCpoAsync("UNK");
        var stranger = OcpiObjects.CdrToken("DE", "PWL", "DEADBEEF000000", "RFID", "DE-PWL-C00000000-0");
        var charge = new ChargeSession("DE", "UNK", Mannheim, 1, stranger, "WHITELIST", null);
        var start = server.Clock.GetUtcNow();
        var cdr = await cpo.Client.PostCdrAsync(charge.Cdr(start, start.AddMinutes(30), 7m, start.AddMinutes(30)), CancellationToken.None);
        Assert.Equal(2004, cdr.StatusCode);
        Assert.Null(cdr.Header("Location"));
        Assert.Equal(HttpStatusCode.NotFound, (await cpo.Client.SendAsync(HttpMethod.Get, $"{cpo.Client.Endpoint("cdrs")}/DE/UNK/CDR-{charge.Id}", null, CancellationToken.None)).Http);
        Assert.Equal(2004, (await cpo.Client.PutSessionAsync(charge.Session("ACTIVE", start, 0, start), CancellationToken.None)).StatusCode);
    }

    [Fact]
    public async Task Session_updates_older_than_the_stored_one_are_ignored()
    {
        var (_, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("OOO");
        var charge = new ChargeSession("DE", "OOO", Mannheim, 1, ChargingSetup.CdrToken(card), "AUTH_REQUEST", null);
        var start = server.Clock.GetUtcNow();
        Assert.Equal(HttpStatusCode.Created, (await cpo.Client.PutSessionAsync(charge.Session("ACTIVE", start, 3m, start.AddMinutes(10)), CancellationToken.None)).Http);
        var late = await cpo.Client.PatchSessionAsync(charge.Id, new JsonObject { ["kwh"] = 1m, ["last_updated"] = OcpiObjects.Time(start.AddMinutes(5)) }, CancellationToken.None);
        Assert.Equal(1000, late.StatusCode);
        Assert.Equal(2001, (await cpo.Client.PatchSessionAsync(charge.Id, new JsonObject { ["kwh"] = 1m }, CancellationToken.None)).StatusCode);
        var stored = await cpo.Client.SendAsync(HttpMethod.Get, $"{cpo.Client.Endpoint("sessions")}/DE/OOO/{charge.Id}", null, CancellationToken.None);
        Assert.Equal(3m, stored.Data!["kwh"]!.GetValue<decimal>());
        await cpo.Client.PatchSessionAsync(charge.Id, new JsonObject { ["kwh"] = 4.5m, ["last_updated"] = OcpiObjects.Time(start.AddMinutes(15)) }, CancellationToken.None);
        stored = await cpo.Client.SendAsync(HttpMethod.Get, $"{cpo.Client.Endpoint("sessions")}/DE/OOO/{charge.Id}", null, CancellationToken.None);
        Assert.Equal(4.5m, stored.Data!["kwh"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Partners_never_see_each_others_locations_sessions_or_cdrs_and_an_evse_of_an_unknown_location_is_2003()
    {
        var (_, card) = await server.DriverWithCardAsync();
        await using var one = await server.RegisteredCpoAsync("ONE");
        await using var two = await server.RegisteredCpoAsync("TWO");
        var now = server.Clock.GetUtcNow();
        await one.Client.PutLocationAsync(OcpiObjects.Location("DE", "ONE", Mannheim, now), CancellationToken.None);
        var charge = new ChargeSession("DE", "ONE", Mannheim, 1, ChargingSetup.CdrToken(card), "AUTH_REQUEST", null);
        await one.Client.PutSessionAsync(charge.Session("ACTIVE", now, 1m, now), CancellationToken.None);
        var cdr = await one.Client.PostCdrAsync(charge.Cdr(now, now.AddMinutes(30), 2m, now.AddMinutes(30)), CancellationToken.None);

        foreach (var path in new[] { $"{two.Client.Endpoint("locations")}/DE/ONE/{Mannheim.Id}", $"{two.Client.Endpoint("sessions")}/DE/ONE/{charge.Id}", cdr.Header("Location")! })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await two.Client.SendAsync(HttpMethod.Get, path, null, CancellationToken.None)).Http);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await two.Client.SendAsync(HttpMethod.Put, $"{two.Client.Endpoint("sessions")}/DE/ONE/{charge.Id}",
            charge.Session("COMPLETED", now, 9m, now.AddHours(1)), CancellationToken.None)).Http);
        Assert.Equal(2001, (await two.Client.PostCdrAsync(charge.Cdr(now, now.AddMinutes(30), 2m, now.AddMinutes(30)), CancellationToken.None)).StatusCode);

        var orphan = OcpiObjects.Evse("DE", "TWO", Mannheim, 1, "AVAILABLE", now);
        var refused = await two.Client.SendAsync(HttpMethod.Put, $"{two.Client.Endpoint("locations")}/DE/TWO/{Mannheim.Id}/{orphan["uid"]}", orphan, CancellationToken.None);
        Assert.Equal(2003, refused.StatusCode);
    }

    [Fact]
    public async Task Charge_records_are_gone_after_90_days()
    {
        var (driver, card) = await server.DriverWithCardAsync();
        await using var cpo = await server.RegisteredCpoAsync("RET");
        var charge = new ChargeSession("DE", "RET", Mannheim, 1, ChargingSetup.CdrToken(card), "AUTH_REQUEST", null);
        var now = server.Clock.GetUtcNow();
        await cpo.Client.PostCdrAsync(charge.Cdr(now, now.AddMinutes(30), 2m, now.AddMinutes(30)), CancellationToken.None);
        var records = server.Get<Pitwall.Server.Features.Charging.ChargeRecordStore>();
        var sweeper = server.Get<Pitwall.Server.Features.Privacy.RetentionSweeper>();
        server.Clock.Advance(TimeSpan.FromDays(89));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Single(await records.CdrsOfAsync(driver.AccountId, 10, CancellationToken.None));
        server.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        await sweeper.SweepAsync(CancellationToken.None);
        Assert.Empty(await records.CdrsOfAsync(driver.AccountId, 10, CancellationToken.None));
    }

    [Fact]
    public async Task The_cpo_simulator_runs_hundreds_of_real_stations_and_charges_the_fleets_cards()
    {
        await server.DriverWithCardAsync();
        await server.DriverWithCardAsync();
        var (_, tokenA) = await server.NewPartnerAsync("Simulator run");
        var scenario = new CpoScenario(server.Client, server.Clock, TextWriter.Null);
        var result = await scenario.RunAsync(server.Client.BaseAddress!, tokenA, 300, 2, CancellationToken.None);
        Assert.Equal(300, result.LocationsPushed);
        Assert.True(result.Authorised + result.Refused == 2);
        Assert.Equal(result.Authorised, result.CdrsAccepted);
    }
}

public sealed class ChargingFlowOnSqlite(SqliteServer server) : ChargingFlowTests(server), IClassFixture<SqliteServer>;

public sealed class ChargingFlowOnPostgres(PostgresServer server) : ChargingFlowTests(server), IClassFixture<PostgresServer>;
