using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>A duration as the manifest writes it (<c>1m30s</c>); reads that or the <c>hh:mm:ss</c> form.</summary>
internal sealed class DurationJsonConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a duration must be a string");
        if (DurationText.TryParse(text, out var value, out _) || TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value))
        {
            return value;
        }

        throw new JsonException($"not a duration: {text}");
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DurationText.Format(value));
}
