using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Snapshot;

/// <summary>
/// A service spec (or a whole manifest) as JSON in the manifest's own spelling: camelCase keys, kebab-case enum
/// names, durations such as <c>5s</c>, percentages such as <c>5%</c>, sizes such as <c>64MB</c>, cron schedules as written. A revision
/// keeps its spec this way in the state store, and <c>slipway apply</c> diffs these trees.
/// </summary>
/// <remarks>
/// Reading is tolerant of the older form the store held (PascalCase keys, numeric enums, <c>hh:mm:ss</c>
/// durations, <c>{"Value": 5}</c> percentages), so revisions written by an earlier Slipway still read.
/// </remarks>
internal static class SpecSnapshot
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        PropertyNameCaseInsensitive = true,
        IgnoreReadOnlyProperties = true,
        WriteIndented = false,
        Converters =
        {
            new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower),
            new DurationJsonConverter(),
            new CronJsonConverter(),
            new ScalarJsonConverter<Percentage>(Percentage.TryParse,
                e => e.TryGetProperty("Value", out var n) && n.TryGetDouble(out var v) ? new Percentage(v) : null),
            new ScalarJsonConverter<ByteSize>(ByteSize.TryParse,
                e => e.TryGetProperty("Bytes", out var n) && n.TryGetInt64(out var b) ? new ByteSize(b) : null),
            new ScalarJsonConverter<System.Net.IPNetwork>(Cidr.TryParse, _ => null),
        },
    };

    public static string Write(ServiceSpec spec) => JsonSerializer.Serialize(spec, Options);

    /// <summary>The spec as a JSON tree, for diffs.</summary>
    public static JsonNode Tree(ServiceSpec spec) => JsonSerializer.SerializeToNode(spec, Options)!;

    /// <summary>A manifest section (proxy, alerts, backups, logs) as a JSON tree, for diffs.</summary>
    public static JsonNode? Tree<T>(T section) => JsonSerializer.SerializeToNode(section, Options);

    /// <summary>Reads a stored spec back; false (and null) when the text is not one.</summary>
    public static bool TryRead(string? json, [NotNullWhen(true)] out ServiceSpec? spec)
    {
        spec = null;
        if (string.IsNullOrEmpty(json))
        {
            return false;
        }

        try
        {
            spec = JsonSerializer.Deserialize<ServiceSpec>(json, Options);
        }
        catch (JsonException)
        {
            spec = null;
        }

        return spec is not null;
    }

    /// <summary>True when two specs would write the same snapshot (records with list members do not compare by value).</summary>
    public static bool Same(ServiceSpec a, ServiceSpec b) => Write(a) == Write(b);
}
