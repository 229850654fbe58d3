using System.Reflection;
using System.Text.RegularExpressions;
using Slipway.Core.Logging;
using Slipway.Testing;

namespace Slipway.Core.Tests.Logging;

public sealed partial class EventIdsTests
{
    private static readonly FieldInfo[] Ids = typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static);

    [Fact]
    public void EventIds_EveryId_Unique()
    {
        var duplicates = Ids.GroupBy(f => (int)f.GetRawConstantValue()!)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(f => f.Name))}")
            .ToList();

        Assert.True(duplicates.Count == 0, "event ids used twice: " + string.Join("; ", duplicates));
    }

    /// <summary>Read from the source, so a project this test does not reference (a new one) is held to the table too.</summary>
    [Fact]
    public void LoggerMessages_InSrc_TakeTheirIdFromTheTableOnceEach()
    {
        var problems = new List<string>();
        var used = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = Ids.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(RepositoryRoot.File("src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal)))
        {
            var where = Path.GetRelativePath(RepositoryRoot.Path, file);
            foreach (Match message in LoggerMessage().Matches(File.ReadAllText(file)))
            {
                var id = message.Groups[1].Value;
                if (!id.StartsWith("EventIds.", StringComparison.Ordinal) || !names.Contains(id["EventIds.".Length..]))
                {
                    problems.Add($"{where}: [LoggerMessage({id}, …)] does not name an id of EventIds");
                }
                else if (!used.TryAdd(id, where))
                {
                    problems.Add($"{where}: {id} is used by {used[id]} already");
                }
            }
        }

        Assert.NotEmpty(used);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [GeneratedRegex(@"\[LoggerMessage\(\s*(?:EventId\s*=\s*)?([\w.]+)")]
    private static partial Regex LoggerMessage();
}
