using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>The CPO's direct answer to a command (HTTP status and OCPI envelope) and what it does afterwards (the charge point's
/// result posted to the eMSP's <c>response_url</c>, the session it starts or stops), run once the answer has been sent.</summary>
public sealed record CommandAnswer(int Http, JsonObject Envelope, Func<Task>? FollowUp);

/// <summary>
/// The CPO's Commands module, Receiver interface (OCPI 2.2.1): <c>START_SESSION</c>, <c>STOP_SESSION</c> and <c>UNLOCK_CONNECTOR</c> at its
/// real stations; reservations are <c>NOT_SUPPORTED</c>. An unknown location is answered with 2003 and <c>REJECTED</c>, an unknown session
/// with <c>UNKNOWN_SESSION</c>; otherwise <c>ACCEPTED</c> with a timeout, and after the answer the charge point's result goes to the
/// <c>response_url</c>. A started session is reported (auth_method <c>COMMAND</c>, the eMSP's token and authorization reference);
/// a stopped one is completed and its CDR sent. The token of a command is not checked (the eMSP authorised it).
/// </summary>
public sealed class CpoCommandReceiver(OcpiCpoClient cpo, IReadOnlyList<Station> stations, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (ChargeSession Charge, DateTimeOffset Start, double PowerKw)> _running = new(StringComparer.Ordinal);
    private readonly List<Task> _work = [];

    /// <summary>False: a charge point that never reports back (the eMSP's command ends as TIMEOUT).</summary>
    public bool SendResults { get; set; } = true;

    /// <summary>The result a START_SESSION's charge point reports (e.g. <c>EVSE_OCCUPIED</c>); sessions start only on <c>ACCEPTED</c>.</summary>
    public string StartResult { get; set; } = "ACCEPTED";

    /// <summary>The timeout the CPO gives in its CommandResponse, in seconds.</summary>
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>Every command body received, by command type, in order.</summary>
    public ConcurrentQueue<(string Command, JsonObject Body)> Received { get; } = new();

    /// <summary>The sessions started by command and still running.</summary>
    public IReadOnlyCollection<string> RunningSessions => [.. _running.Keys];

    /// <summary>Completes when everything started after the answers so far has been done.</summary>
    public Task IdleAsync()
    {
        lock (_work)
        {
            return Task.WhenAll(_work);
        }
    }

    public void Track(Func<Task> followUp)
    {
        lock (_work)
        {
            _work.Add(Task.Run(followUp));
        }
    }

    public CommandAnswer Receive(string command, JsonObject? body)
    {
        if (body?["response_url"]?.GetValue<string>() is not { } responseUrl)
        {
            return new(200, Envelope(2001, null, "A command needs a response_url."), null);
        }
        Received.Enqueue((command, body));
        return command switch
        {
            "START_SESSION" => Start(body, responseUrl),
            "STOP_SESSION" => Stop(body, responseUrl),
            "UNLOCK_CONNECTOR" => Unlock(body, responseUrl),
            "RESERVE_NOW" or "CANCEL_RESERVATION" => new(200, Response("NOT_SUPPORTED", 0), null),
            _ => new(404, Envelope(2000, null, "Unknown command."), null),
        };
    }

    private CommandAnswer Start(JsonObject body, string responseUrl)
    {
        if (Find(body) is not var (station, point) || body["token"] is not JsonObject token)
        {
            return UnknownLocation();
        }
        return Accepted(responseUrl, StartResult, async () =>
        {
            if (StartResult != "ACCEPTED")
            {
                return;
            }
            var cdrToken = OcpiObjects.CdrToken((string)token["country_code"]!, (string)token["party_id"]!, (string)token["uid"]!, (string)token["type"]!,
                (string)token["contract_id"]!);
            var charge = new ChargeSession(cpo.CountryCode, cpo.PartyId, station, point, cdrToken, "COMMAND", body["authorization_reference"]?.GetValue<string>());
            var start = time.GetUtcNow();
            _running[charge.Id] = (charge, start, Math.Min(station.Points[point - 1].PowerKw, 50));
            await cpo.PatchEvseAsync(station.Id, charge.EvseUid, new JsonObject { ["status"] = "CHARGING", ["last_updated"] = OcpiObjects.Time(start) }, CancellationToken.None);
            await cpo.PutSessionAsync(charge.Session("ACTIVE", start, 0, start), CancellationToken.None);
        });
    }

    private CommandAnswer Stop(JsonObject body, string responseUrl)
    {
        if (body["session_id"]?.GetValue<string>() is not { } id || !_running.TryRemove(id, out var running))
        {
            return new(200, Response("UNKNOWN_SESSION", 0), null);
        }
        return Accepted(responseUrl, "ACCEPTED", async () =>
        {
            var (charge, start, power) = running;
            var end = time.GetUtcNow();
            var kwh = Math.Round((decimal)((end - start).TotalHours * power), 2);
            await cpo.PutSessionAsync(charge.Session("COMPLETED", start, kwh, end, end), CancellationToken.None);
            await cpo.PatchEvseAsync(charge.LocationId, charge.EvseUid, new JsonObject { ["status"] = "AVAILABLE", ["last_updated"] = OcpiObjects.Time(end) }, CancellationToken.None);
            await cpo.PostCdrAsync(charge.Cdr(start, end, kwh, end), CancellationToken.None);
        });
    }

    private CommandAnswer Unlock(JsonObject body, string responseUrl) =>
        Find(body) is null ? UnknownLocation() : Accepted(responseUrl, "ACCEPTED", null);

    /// <summary>Every running session's meter moves on to now (a PATCH of <c>kwh</c> and <c>total_cost</c>).</summary>
    public async Task MeterAsync(CancellationToken cancellationToken)
    {
        foreach (var (charge, start, power) in _running.Values)
        {
            var now = time.GetUtcNow();
            var session = charge.Session("ACTIVE", start, Math.Round((decimal)((now - start).TotalHours * power), 2), now);
            await cpo.PatchSessionAsync(charge.Id, new JsonObject
            {
                ["kwh"] = session["kwh"]!.DeepClone(), ["total_cost"] = session["total_cost"]!.DeepClone(), ["last_updated"] = session["last_updated"]!.DeepClone(),
            }, cancellationToken);
        }
    }

    private CommandAnswer Accepted(string responseUrl, string result, Func<Task>? then) =>
        new(200, Response("ACCEPTED", TimeoutSeconds), async () =>
        {
            if (!SendResults)
            {
                return;
            }
            await cpo.SendAsync(HttpMethod.Post, responseUrl, new JsonObject { ["result"] = result }, CancellationToken.None);
            if (then is not null)
            {
                await then();
            }
        });

    private (Station Station, int Point)? Find(JsonObject body)
    {
        var station = stations.FirstOrDefault(s => s.Id == body["location_id"]?.GetValue<string>());
        if (station is null)
        {
            return null;
        }
        var evse = body["evse_uid"]?.GetValue<string>();
        for (var point = 1; point <= station.Points.Count; point++)
        {
            if (evse is null || evse == OcpiObjects.EvseUid(station, point))
            {
                return (station, point);
            }
        }
        return null;
    }

    private CommandAnswer UnknownLocation() => new(200, Envelope(2003, Result("REJECTED", 0), "Unknown location."), null);

    private JsonObject Response(string result, int timeout) => Envelope(1000, Result(result, timeout), "Success");

    private static JsonObject Result(string result, int timeout) => new() { ["result"] = result, ["timeout"] = timeout };

    private JsonObject Envelope(int status, JsonObject? data, string message) => new()
    {
        ["data"] = data,
        ["status_code"] = status,
        ["status_message"] = message,
        ["timestamp"] = OcpiObjects.Time(time.GetUtcNow()),
    };
}
