using System.Text.Json.Nodes;

namespace Slipway.Core.Manifest.Diff;

/// <summary>
/// The leaves two JSON trees disagree on: objects key by key, lists of equal length item by item
/// (<c>routes[1].path</c>), anything else as one change of the whole value.
/// </summary>
internal static class JsonTreeDiff
{
    public static void Compare(JsonNode? before, JsonNode? after, string path, List<FieldChange> changes)
    {
        if (JsonNode.DeepEquals(before, after))
        {
            return;
        }

        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
            {
                Compare(a[key], b[key], Join(path, key), changes);
            }

            return;
        }

        if (before is JsonArray x && after is JsonArray y && x.Count == y.Count)
        {
            for (var i = 0; i < x.Count; i++)
            {
                Compare(x[i], y[i], $"{path}[{i}]", changes);
            }

            return;
        }

        changes.Add(new FieldChange(path, before?.ToJsonString(), after?.ToJsonString()));
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
