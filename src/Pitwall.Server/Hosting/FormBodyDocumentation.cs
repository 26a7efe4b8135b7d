using System.Reflection;
using System.Text.Json.Serialization;
using Microsoft.OpenApi;

namespace Pitwall.Server.Hosting;

public static class FormBodyDocumentation
{
    /// <summary>
    /// Documents a form-encoded body in OpenAPI without making routing reject other media types: the OAuth endpoints
    /// read the form themselves so that a wrong body gets an RFC 6749 error instead of a bare 415.
    /// </summary>
    public static RouteHandlerBuilder WithFormBody<TForm>(this RouteHandlerBuilder builder, params string[] required) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            var schema = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>(), Required = new HashSet<string>(required) };
            foreach (var property in typeof(TForm).GetProperties())
            {
                var name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name;
                schema.Properties[name] = new OpenApiSchema { Type = JsonSchemaType.String };
            }
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/x-www-form-urlencoded"] = new() { Schema = schema } },
            };
            return Task.CompletedTask;
        });
}
