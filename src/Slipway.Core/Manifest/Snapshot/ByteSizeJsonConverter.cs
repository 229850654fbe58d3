using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>A size as the manifest writes it (<c>64MB</c>); reads that or the older <c>{"Bytes": n}</c> object.</summary>
internal sealed class ByteSizeJsonConverter : JsonConverter<ByteSize>
{
    public override ByteSize Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.TryGetProperty("Bytes", out var number) && number.TryGetInt64(out var bytes)
                ? new ByteSize(bytes)
                : throw new JsonException("a size object needs a numeric Bytes");
        }

        var text = reader.GetString() ?? throw new JsonException("a size must be a string");
        return ByteSize.TryParse(text, out var parsed, out var error) ? parsed : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, ByteSize value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
