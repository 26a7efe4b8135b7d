using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>What a CPO run did.</summary>
public sealed record CpoRunResult(int LocationsPushed, int TokensPulled, int Authorised, int Refused, int CdrsAccepted);

/// <summary>
/// <c>pitwall-sim cpo</c>: a charge point operator with real stations. Registers with the eMSP (token A from its administrator),
/// pushes its tariff and stations, pulls the eMSP's tokens, and for each valid RFID card plugs a simulated car in at a station: real-time
/// authorisation, EVSE status CHARGING, the session (ACTIVE, meter updates, COMPLETED), EVSE status AVAILABLE, the CDR.
/// </summary>
public sealed class CpoScenario(HttpClient http, TimeProvider time, TextWriter log)
{
    public const string CountryCode = "DE";
    public const string PartyId = "SIM";

    /// <param name="serve">After the charges, how long to stay and take the eMSP's commands (START_SESSION from the app or the
    /// portal's station map, STOP_SESSION, UNLOCK_CONNECTOR), moving the running sessions' meters every minute; zero: end at once.</param>
    public async Task<CpoRunResult> RunAsync(Uri server, string tokenA, int stationCount, int charges, CancellationToken cancellationToken,
        TimeSpan serve = default)
    {
        var tokenB = Convert.ToHexString(RandomNumberGenerator.GetBytes(24));
        await using var versions = new CpoVersionsServer(tokenB);
        var cpo = new OcpiCpoClient(http, CountryCode, PartyId, "Pitwall CPO simulator");
        var commands = new CpoCommandReceiver(cpo, Stations.RhineNeckar().Take(stationCount).ToList(), time);
        versions.Commands = commands;
        var registration = await cpo.RegisterAsync(new Uri(server, "/ocpi/versions"), tokenA, versions.Versions, tokenB, cancellationToken);
        if (registration.StatusCode != 1000)
        {
            throw new InvalidOperationException($"Registration refused: HTTP {(int)registration.Http}, OCPI {registration.StatusCode}.");
        }
        log.WriteLine($"registered as {CountryCode} {PartyId}");
        await cpo.PutTariffAsync(OcpiObjects.Tariff(CountryCode, PartyId, time.GetUtcNow()), cancellationToken);
        var stations = Stations.RhineNeckar().Take(stationCount).ToList();
        foreach (var station in stations)
        {
            await cpo.PutLocationAsync(OcpiObjects.Location(CountryCode, PartyId, station, time.GetUtcNow()), cancellationToken);
        }
        log.WriteLine($"pushed {stations.Count} locations");
        var tokens = await cpo.AllTokensAsync(50, cancellationToken);
        log.WriteLine($"pulled {tokens.Count} tokens");
        int authorised = 0, refused = 0, cdrs = 0;
        var cards = tokens.Where(t => (string?)t["type"] == "RFID").Take(charges).ToList();
        for (var i = 0; i < cards.Count; i++)
        {
            var station = stations[i * 7 % stations.Count];
            var outcome = await ChargeAsync(cpo, station, cards[i], 10m + i, cancellationToken);
            if (outcome is null)
            {
                refused++;
                continue;
            }
            authorised++;
            cdrs += outcome.Value ? 1 : 0;
        }
        log.WriteLine($"charges: {authorised} authorised, {refused} refused, {cdrs} CDRs accepted");
        if (serve > TimeSpan.Zero)
        {
            await ServeAsync(commands, serve, cancellationToken);
        }
        return new(stations.Count, tokens.Count, authorised, refused, cdrs);
    }

    /// <summary>Takes commands until <paramref name="serve"/> is over or the run is cancelled; the running sessions' meters move every minute.</summary>
    private async Task ServeAsync(CpoCommandReceiver commands, TimeSpan serve, CancellationToken cancellationToken)
    {
        log.WriteLine($"taking commands for {serve} (Ctrl+C ends)");
        var until = time.GetUtcNow() + serve;
        try
        {
            while (time.GetUtcNow() < until)
            {
                await Task.Delay(TimeSpan.FromMinutes(1), time, cancellationToken);
                await commands.MeterAsync(cancellationToken);
            }
            await commands.IdleAsync();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One car at one station with an RFID card: null when refused, else whether the CDR was accepted.</summary>
    public async Task<bool?> ChargeAsync(OcpiCpoClient cpo, Station station, JsonObject token, decimal kwh, CancellationToken cancellationToken)
    {
        var uid = (string)token["uid"]!;
        var evse = OcpiObjects.EvseUid(station, 1);
        var authorization = await cpo.AuthorizeAsync(uid, "RFID", station.Id, evse, cancellationToken);
        if ((string?)authorization.Data?["allowed"] != "ALLOWED")
        {
            log.WriteLine($"{uid} at {station.Id}: {authorization.Data?["allowed"] ?? authorization.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
            return null;
        }
        var cdrToken = OcpiObjects.CdrToken((string)token["country_code"]!, (string)token["party_id"]!, uid, "RFID", (string)token["contract_id"]!);
        var charge = new ChargeSession(cpo.CountryCode, cpo.PartyId, station, 1, cdrToken, "AUTH_REQUEST", (string?)authorization.Data?["authorization_reference"]);
        var start = time.GetUtcNow();
        await cpo.PatchEvseAsync(station.Id, evse, new JsonObject { ["status"] = "CHARGING", ["last_updated"] = OcpiObjects.Time(start) }, cancellationToken);
        await cpo.PutSessionAsync(charge.Session("ACTIVE", start, 0, start), cancellationToken);
        var end = start.AddMinutes(45);
        await cpo.PatchSessionAsync(charge.Id, new JsonObject { ["kwh"] = kwh / 2, ["last_updated"] = OcpiObjects.Time(start.AddMinutes(20)) }, cancellationToken);
        await cpo.PutSessionAsync(charge.Session("COMPLETED", start, kwh, end, end), cancellationToken);
        await cpo.PatchEvseAsync(station.Id, evse, new JsonObject { ["status"] = "AVAILABLE", ["last_updated"] = OcpiObjects.Time(end) }, cancellationToken);
        var cdr = await cpo.PostCdrAsync(charge.Cdr(start, end, kwh, end), cancellationToken);
        if (cdr.StatusCode != 1000)
        {
            log.WriteLine($"CDR {charge.Id} refused: HTTP {(int)cdr.Http}, OCPI {cdr.StatusCode} {cdr.Envelope?["status_message"]}");
        }
        return cdr.StatusCode == 1000;
    }
}
