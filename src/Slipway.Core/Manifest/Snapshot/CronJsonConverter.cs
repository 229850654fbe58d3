using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>A cron schedule as the text written in the manifest, so a changed schedule shows in a diff (it was <c>{}</c>).</summary>
internal sealed class CronJsonConverter : JsonConverter<CronExpression>
{
    public override CronExpression? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            // What an earlier Slipway wrote for a schedule: nothing readable.
            reader.Skip();
            return null;
        }

        var text = reader.GetString() ?? throw new JsonException("a cron schedule must be a string");
        return CronExpression.TryParse(text, out var value, out var error) ? value : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, CronExpression value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
