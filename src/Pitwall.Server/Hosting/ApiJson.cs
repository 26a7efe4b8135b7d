using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pitwall.Server.Hosting;

/// <summary>The API's JSON: web defaults (camelCase), enums as snake_case strings. What goes out to clients in other ways
/// (live events kept for a replay, relayed between instances) is written the same, so it reads the same.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
