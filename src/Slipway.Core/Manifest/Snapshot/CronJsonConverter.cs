using System.Text.Json;
using System.Text.Json.Serialization;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>A cron schedule as the manifest writes it (<c>"0 22 * * *"</c>): without it a schedule wrote as <c>{}</c>, so diffs missed it.</summary>
internal sealed class CronJsonConverter : JsonConverter<CronExpression>
{
    public override CronExpression Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("a cron schedule must be a string");
        return CronExpression.TryParse(text, out var value, out var error) ? value! : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, CronExpression value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
