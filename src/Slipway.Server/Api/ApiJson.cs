using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Slipway.Server.Api.Contracts;

namespace Slipway.Server.Api;

/// <summary>The API's one JSON style, <see cref="ApiJsonContext"/>'s, for the daemon's endpoints and the CLI alike.</summary>
internal static class ApiJson
{
    public static JsonSerializerOptions Options => ApiJsonContext.Default.Options;

    /// <summary>The same, indented, for <c>--output json</c>.</summary>
    public static JsonSerializerOptions Indented { get; } = new(ApiJsonContext.Default.Options) { WriteIndented = true };

    /// <summary>
    /// ASP.NET Core's options (typed results, the OpenAPI schemas) made to write as <see cref="Options"/> does: the
    /// generated context first, the same enum converters and number rules.
    /// </summary>
    public static void Configure(JsonSerializerOptions options)
    {
        options.TypeInfoResolverChain.Insert(0, ApiJsonContext.Default);
        foreach (var converter in Options.Converters)
        {
            options.Converters.Add(converter);
        }

        options.PropertyNameCaseInsensitive = Options.PropertyNameCaseInsensitive;
        options.NumberHandling = Options.NumberHandling;
    }

    /// <summary>An enum member as it is on the wire (<c>scaled-to-zero</c>), for the CLI's tables.</summary>
    public static string Word<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.KebabCaseLower.ConvertName(value.ToString());

    /// <summary>The generated metadata for <typeparamref name="T"/>; throws when the context does not list it.</summary>
    public static JsonTypeInfo<T> Info<T>(JsonSerializerOptions? options = null) => (JsonTypeInfo<T>)(options ?? Options).GetTypeInfo(typeof(T));
}
