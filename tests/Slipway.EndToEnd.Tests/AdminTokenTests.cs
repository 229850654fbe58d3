namespace Slipway.EndToEnd.Tests;

/// <summary>The first admin token on a daemon's first start: where it is, not what it is (stdout lands in journals).</summary>
[Collection(PrivilegeCollection.Name)]
public sealed class AdminTokenTests
{
    private readonly PrivilegeDaemon _daemon;

    public AdminTokenTests(PrivilegeDaemon daemon) => _daemon = daemon;

    [Fact]
    public void Up_FirstStart_PrintsTheTokenFilesPathNotTheToken()
    {
        var path = Path.Combine(_daemon.StateDir, "admin.token");
        var token = File.ReadAllText(path).Trim();

        Assert.StartsWith("slw_", token, StringComparison.Ordinal);
        Assert.DoesNotContain(token, _daemon.Daemon.Output + _daemon.Daemon.Error, StringComparison.Ordinal);
        Assert.Contains(path, _daemon.Daemon.Output, StringComparison.Ordinal);
    }
}
