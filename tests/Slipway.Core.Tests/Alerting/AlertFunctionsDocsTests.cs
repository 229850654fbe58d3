using Slipway.Core.Alerting;
using Slipway.Testing;

namespace Slipway.Core.Tests.Alerting;

/// <summary>docs/operations.md's table of the alert language has a row for every function the parser knows.</summary>
public sealed class AlertFunctionsDocsTests
{
    [Fact]
    public void OperationsGuide_HasARowForEveryFunction()
    {
        var rows = File.ReadAllLines(RepositoryRoot.File("docs", "operations.md")).Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        foreach (var function in AlertFunctions.All)
        {
            Assert.True(rows.Exists(r => r.StartsWith($"| `{function.Name}", StringComparison.Ordinal)), $"docs/operations.md has no row for `{function.Name}` in the alert language table");
        }
    }
}
