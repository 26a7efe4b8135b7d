using System.Text.Json.Nodes;
using Pitwall.Server.Features.Charging.Commands;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>
/// Commands, Sender interface: the operator posts the charge point's CommandResult to the <c>response_url</c> Pitwall gave with the
/// command (<c>/ocpi/2.2.1/commands/{command}/{id}</c>). Only the partner the command went to reaches it; another partner's, an
/// unknown id or a command type that differs from the one sent are 404. The result must be a CommandResultType (else 2001, nothing
/// changes); a result for a command that has ended already (after its timeout, or a second one) is acknowledged and ignored.
/// </summary>
internal static class CommandsEndpoints
{
    public static void MapOcpiCommands(this RouteGroupBuilder module) => module.MapPost("/commands/{command}/{id}", Result);

    private static async Task<OcpiResult> Result(string command, string id, HttpContext http, ChargingCommandStore store, ChargingCommandEvents events)
    {
        if (!CommandTypes.All.Contains(command))
        {
            return OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown command type.");
        }
        var (body, error) = await OcpiBody.ReadObjectAsync(http.Request, http.RequestAborted);
        if (body is null)
        {
            return error!;
        }
        if (body.Text("result") is not { } result || !CommandTypes.Results.Contains(result))
        {
            return OcpiResult.Invalid("A CommandResult needs result, one of " + string.Join(", ", CommandTypes.Results) + ".");
        }
        if (body["message"] is { } message && (message is not JsonArray texts || texts.Any(t => t is not JsonObject o || o.Text("language") is null || o.Text("text") is null)))
        {
            return OcpiResult.Invalid("message is a list of DisplayText objects (language, text).");
        }
        var text = (body["message"] as JsonArray)?.OfType<JsonObject>().Select(t => t.Text("text")).FirstOrDefault();
        var outcome = await store.ResultAsync(OcpiCaller.Of(http).Partner.Id, command, id, result, text?[..Math.Min(text.Length, 512)], http.RequestAborted);
        if (outcome == ResultOutcome.Recorded)
        {
            await events.PublishAsync(id, http.RequestAborted);
        }
        return outcome == ResultOutcome.Unknown ? OcpiResult.NotFound(OcpiStatus.ClientError, "Unknown command.") : OcpiResult.Ok(null);
    }
}
