namespace Slipway.EndToEnd.Tests;

/// <summary>What a service instance and its exec probe find in /proc/self/environ, under a daemon holding secrets in its environment.</summary>
[Collection(PrivilegeCollection.Name)]
public sealed class ChildEnvironmentTests
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "LANG", "TZ", // the daemon's own, the only ones children take
        "GIVEN", // the manifest's run.env
        "PORT", "SLIPWAY_SERVICE", "SLIPWAY_REVISION", "SLIPWAY_INSTANCE", // what Slipway sets
    };

    private readonly PrivilegeDaemon _daemon;

    public ChildEnvironmentTests(PrivilegeDaemon daemon) => _daemon = daemon;

    [Theory]
    [InlineData("service.env")]
    [InlineData("probe.env")]
    public void Child_ReadsProcSelfEnviron_SeesNoDaemonSecretOnlyTheAllowListAndWhatSlipwayGives(string file)
    {
        var environment = _daemon.EnvironmentIn(file);

        foreach (var name in PrivilegeDaemon.DaemonSecrets.Keys)
        {
            Assert.False(environment.ContainsKey(name), $"{file} holds the daemon's {name}");
        }

        Assert.DoesNotContain(environment.Values, v => PrivilegeDaemon.DaemonSecrets.Values.Contains(v));
        var unexpected = environment.Keys.Where(n => !Allowed.Contains(n)).ToList();
        Assert.True(unexpected.Count == 0, $"{file} holds variables nobody gave it: {string.Join(", ", unexpected)}");
        Assert.Equal("by-the-manifest", environment["GIVEN"]);
        Assert.Equal(Environment.GetEnvironmentVariable("PATH"), environment["PATH"]);
    }
}
