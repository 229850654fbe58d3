using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Server.Api;

/// <summary>camelCase, enums as lower-case words: the API's one JSON style.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options { get; } = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
        return options;
    }
}
