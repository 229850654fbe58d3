using Slipway.Backups.Postgres;

namespace Slipway.Backups.Tests.Postgres;

public sealed class PostgresToolTests
{
    [Fact]
    public async Task Run_DaemonHoldsSecretsInItsEnvironment_TheToolSeesOnlyTheAllowListAndItsOwn()
    {
        var name = "SLIPWAY_SECRET_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "not-for-pg-dump");
        try
        {
            var output = new MemoryStream();
            var result = await PostgresTool.RunAsync(
                new ToolInvocation("env", []) { Environment = new Dictionary<string, string> { ["PGHOST"] = "db.test" } },
                stdout: (stream, ct) => stream.CopyToAsync(output, ct));

            Assert.True(result.IsSuccess, result.LastErrorLine);
            var names = System.Text.Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l[..l.IndexOf('=', StringComparison.Ordinal)]).ToList();
            Assert.Contains("PGHOST", names);
            Assert.All(names.Where(n => n != "PGHOST"), n => Assert.Contains(n, Core.Processes.ProcessSpec.InheritedVariables));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
