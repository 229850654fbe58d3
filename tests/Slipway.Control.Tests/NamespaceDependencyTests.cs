using System.Text.RegularExpressions;
using Slipway.Testing;

namespace Slipway.Control.Tests;

/// <summary>
/// Control's folders form layers: Runtime, State and Events below, Supervision and Rollouts above them, Apply on
/// top. A cycle (Supervision using Rollouts using Supervision) would make every one of them a change to all the
/// others, so the source is read and any cycle named.
/// </summary>
/// <remarks>
/// A file reaches another namespace of Slipway.Control by a <c>using</c> (plain, static or alias), a fully qualified
/// name, or a name qualified from Slipway.Control (<c>Supervision.Supervisor</c>, resolved through the enclosing
/// namespace). All three are read; the last only where the name after the dot is a type that namespace declares.
/// </remarks>
public sealed partial class NamespaceDependencyTests
{
    private const string Root = "Slipway.Control";

    [Fact]
    public void ControlNamespaces_References_HaveNoCycle()
    {
        var graph = Graph(Sources());

        var cycle = FindCycle(graph);

        Assert.True(cycle is null, $"Slipway.Control's namespaces depend on each other in a circle: {string.Join(" → ", cycle ?? [])}");
    }

    [Fact]
    public void FindCycle_TwoNamespacesUsingEachOther_NamesTheCircle()
    {
        var graph = Graph(
        [
            ("namespace Slipway.Control.A;\nusing Slipway.Control.B;\ninternal sealed class One;", "A/One.cs"),
            ("namespace Slipway.Control.B;\ninternal sealed class Two { private A.One? _one; }", "B/Two.cs"),
            ("namespace Slipway.Control.C;\ninternal sealed class Three { private Slipway.Control.A.One? _one; }", "C/Three.cs"),
        ]);

        Assert.Equal(["B"], graph["A"]);
        Assert.Equal(["A"], graph["C"]);
        Assert.Equal(["A", "B", "A"], FindCycle(graph));
    }

    private static List<(string Text, string Path)> Sources()
    {
        var directory = RepositoryRoot.File("src", Root);
        return [.. Directory.EnumerateFiles(directory, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Select(p => (File.ReadAllText(p), Path.GetRelativePath(directory, p)))];
    }

    /// <summary>Namespace (the segment under Slipway.Control) → the others it refers to.</summary>
    private static Dictionary<string, SortedSet<string>> Graph(IReadOnlyList<(string Text, string Path)> sources)
    {
        var files = sources.Select(s => (Namespace: Segment(NamespaceLine().Match(s.Text).Groups[1].Value), s.Text, s.Path)).ToList();
        Assert.DoesNotContain(files, f => f.Namespace is null);
        var declared = files
            .GroupBy(f => f.Namespace!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.SelectMany(f => Declaration().Matches(f.Text).Select(m => m.Groups[1].Value)).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var graph = declared.Keys.ToDictionary(k => k, _ => new SortedSet<string>(StringComparer.Ordinal), StringComparer.Ordinal);
        foreach (var (ns, text, _) in files)
        {
            var code = Comment().Replace(text, "");
            var used = Qualified().Matches(code).Select(m => m.Groups[1].Value)
                .Concat(declared.Keys.Where(other =>
                    Regex.Matches(code, $@"(?<![\w.]){other}\.(\w+)").Any(m => declared[other].Contains(m.Groups[1].Value))));
            graph[ns!].UnionWith(used.Where(u => u != ns && declared.ContainsKey(u)));
        }

        return graph.ToDictionary(g => g.Key, g => g.Value, StringComparer.Ordinal);
    }

    /// <summary>A circle of namespaces, first repeated at the end; null when there is none.</summary>
    private static List<string>? FindCycle(Dictionary<string, SortedSet<string>> graph)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            var at = path.IndexOf(node);
            if (at >= 0)
            {
                return [.. path[at..], node];
            }

            if (!done.Add(node))
            {
                return null;
            }

            path.Add(node);
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (Visit(next) is { } cycle)
                {
                    return cycle;
                }
            }

            path.RemoveAt(path.Count - 1);
            return null;
        }

        return graph.Keys.Order(StringComparer.Ordinal).Select(Visit).FirstOrDefault(c => c is not null);
    }

    private static string? Segment(string ns) =>
        ns.StartsWith(Root + ".", StringComparison.Ordinal) ? ns[(Root.Length + 1)..].Split('.')[0] : null;

    [GeneratedRegex(@"^namespace ([\w.]+);", RegexOptions.Multiline)]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"\b(?:class|record|struct|interface|enum)\s+(\w+)")]
    private static partial Regex Declaration();

    [GeneratedRegex(@"Slipway\.Control\.(\w+)")]
    private static partial Regex Qualified();

    [GeneratedRegex(@"//.*")]
    private static partial Regex Comment();
}
