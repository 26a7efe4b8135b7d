using System.Text.Json;
using System.Text.Json.Nodes;

namespace Pitwall.Server.Features.Charging.Ocpi;

/// <summary>Reads a partner's JSON body: malformed JSON or a body that is not an object is answered with 2001 and changes
/// nothing.</summary>
internal static class OcpiBody
{
    /// <summary>The largest body a partner may send (a location with many EVSEs stays far below it).</summary>
    private const int MaxBytes = 1 << 20;

    public static async Task<(JsonObject? Body, OcpiResult? Error)> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, OcpiResult.Error(StatusCodes.Status413PayloadTooLarge, OcpiStatus.InvalidOrMissingParameters, "Body too large."));
        }
        try
        {
            var node = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return node is JsonObject body ? (body, null) : (null, OcpiResult.Invalid("The body must be a JSON object."));
        }
        catch (JsonException)
        {
            return (null, OcpiResult.Malformed("Malformed JSON."));
        }
    }

    public static string? Text(this JsonObject body, string name) =>
        body[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>A number, parsed from a body or set in memory (where a JSON value holds the CLR type it was made from).</summary>
    public static decimal? Number(this JsonObject body, string name) => body[name] is not JsonValue value ? null
        : value.TryGetValue<decimal>(out var number) ? number
        : value.TryGetValue<double>(out var real) ? (decimal)real
        : value.TryGetValue<int>(out var whole) ? whole
        : null;

    /// <summary>The names of the required members that are missing or null.</summary>
    public static string? Missing(this JsonObject body, params ReadOnlySpan<string> names)
    {
        var missing = new List<string>();
        foreach (var name in names)
        {
            if (body[name] is null)
            {
                missing.Add(name);
            }
        }
        return missing.Count == 0 ? null : "Missing required field(s): " + string.Join(", ", missing);
    }
}
