using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>A percentage as the manifest writes it (<c>5%</c>); reads that or the older <c>{"Value": 5}</c> object.</summary>
internal sealed class PercentageJsonConverter : JsonConverter<Percentage>
{
    public override Percentage Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.TryGetProperty("Value", out var number) && number.TryGetDouble(out var value)
                ? new Percentage(value)
                : throw new JsonException("a percentage object needs a numeric Value");
        }

        var text = reader.GetString() ?? throw new JsonException("a percentage must be a string");
        return Percentage.TryParse(text, out var parsed, out var error) ? parsed : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Percentage value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
