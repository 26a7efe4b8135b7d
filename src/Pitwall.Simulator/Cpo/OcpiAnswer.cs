using System.Net;
using System.Text.Json.Nodes;

namespace Pitwall.Simulator.Cpo;

/// <summary>What the eMSP answered: the HTTP status, the envelope (null when the body was not one) and the headers.</summary>
public sealed record OcpiAnswer(HttpStatusCode Http, JsonObject? Envelope, IReadOnlyDictionary<string, string> Headers)
{
    public int? StatusCode => Envelope?["status_code"]?.GetValue<int>();

    public JsonNode? Data => Envelope?["data"];

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
