using System.Text.Json.Nodes;

namespace Slipway.Kubernetes.Objects;

/// <summary>Short builders for the JSON trees objects are made of: a property whose value is null is left out.</summary>
internal static class Json
{
    public static JsonObject Obj(params (string Key, JsonNode? Value)[] properties)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in properties)
        {
            if (value is not null)
            {
                obj[key] = value;
            }
        }

        return obj;
    }

    public static JsonArray Arr(params JsonNode?[] items) => new(items.Where(i => i is not null).ToArray());

    public static JsonArray Arr(IEnumerable<JsonNode?> items) => new(items.Where(i => i is not null).ToArray());

    /// <summary>A string map in key order, or null when empty (so it is left out).</summary>
    public static JsonObject? Map(IEnumerable<KeyValuePair<string, string>> values)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in values.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            obj[key] = value;
        }

        return obj.Count == 0 ? null : obj;
    }

    /// <summary>A list, or null when empty (so it is left out).</summary>
    public static JsonArray? NonEmpty(IEnumerable<JsonNode?> items)
    {
        var array = Arr(items);
        return array.Count == 0 ? null : array;
    }
}
