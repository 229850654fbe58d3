using System.Text.Json;
using System.Text.Json.Serialization;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>
/// A manifest scalar (<c>5%</c>, <c>64MB</c>) written as its manifest text and read with its manifest parser;
/// also reads the object an earlier store wrote for it (<c>{"Value": 5}</c>) through <paramref name="legacy"/>.
/// </summary>
internal sealed class ScalarJsonConverter<T>(ScalarJsonConverter<T>.Parser parse, Func<JsonElement, T?> legacy) : JsonConverter<T>
    where T : struct
{
    public delegate bool Parser(string text, out T value, out string? error);

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return legacy(document.RootElement) ?? throw new JsonException($"not a {typeof(T).Name}: {document.RootElement.GetRawText()}");
        }

        var text = reader.GetString() ?? throw new JsonException($"a {typeof(T).Name} must be a string");
        return parse(text, out var value, out var error) ? value : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
