using System.Text.RegularExpressions;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest;

/// <summary>docs/manifest.md documents every key of every section, and nothing that is not one.</summary>
public sealed partial class ManifestReferenceTests
{
    [Fact]
    public void Reference_EverySectionTable_ListsExactlyTheModelsKeys()
    {
        var documented = DocumentedTables(File.ReadAllText(RepositoryRoot.File("docs", "manifest.md")));

        foreach (var section in SectionsReachableFrom(typeof(AppManifest)))
        {
            Assert.True(documented.TryGetValue(section.Name, out var keys), $"docs/manifest.md has no table for {section.Name} (<!-- spec: {section.Name} -->)");
            var expected = SpecShape.Of(section).Keys.Select(k => k.Name).Order(StringComparer.Ordinal).ToList();
            Assert.Equal(expected, keys.Order(StringComparer.Ordinal).ToList());
        }

        var stale = documented.Keys.Except(SectionsReachableFrom(typeof(AppManifest)).Select(t => t.Name)).ToList();
        Assert.Empty(stale);
    }

    private static Dictionary<string, List<string>> DocumentedTables(string markdown)
    {
        var tables = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        List<string>? current = null;
        foreach (var line in markdown.Split('\n'))
        {
            var marker = SpecMarker().Match(line);
            if (marker.Success)
            {
                current = [];
                tables[marker.Groups[1].Value] = current;
                continue;
            }

            if (current is null)
            {
                continue;
            }

            var row = KeyRow().Match(line);
            if (row.Success)
            {
                current.Add(row.Groups[1].Value);
            }
            else if (!line.StartsWith('|'))
            {
                current = current.Count == 0 ? current : null;
            }
        }

        return tables;
    }

    private static IEnumerable<Type> SectionsReachableFrom(Type root)
    {
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>([root]);
        while (queue.Count > 0)
        {
            var type = queue.Dequeue();
            if (!seen.Add(type))
            {
                continue;
            }

            yield return type;
            foreach (var key in SpecShape.Of(type).Keys)
            {
                var propertyType = Nullable.GetUnderlyingType(key.Property.PropertyType) ?? key.Property.PropertyType;
                if (SpecShape.IsList(propertyType, out var item))
                {
                    propertyType = item;
                }
                else if (SpecShape.IsMap(propertyType, out var value))
                {
                    propertyType = value;
                }

                if (SpecShape.IsSection(propertyType) && !ScalarParsers.IsScalar(propertyType))
                {
                    queue.Enqueue(propertyType);
                }
            }
        }
    }

    [GeneratedRegex(@"<!-- spec: (\w+) -->")]
    private static partial Regex SpecMarker();

    [GeneratedRegex(@"^\| `(\w+)` \|")]
    private static partial Regex KeyRow();
}
