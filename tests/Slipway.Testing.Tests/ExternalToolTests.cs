namespace Slipway.Testing.Tests;

public sealed class ExternalToolTests
{
    [Fact]
    public void Require_MissingTool_FailsNamingThePackageToInstall()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ExternalTool.Require("slipway-no-such-tool", "slipway-no-such-package"));

        Assert.Contains("apt-get install -y slipway-no-such-package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FeedsStdin_ReturnsExitCodeAndBothOutputs()
    {
        var sh = ExternalTool.Require("sh", "dash");

        var (exit, output) = await ExternalTool.RunAsync(sh, ["-c", "read line; echo \"got $line\"; echo oops >&2; exit 3"], "hello\n");

        Assert.Equal(3, exit);
        Assert.Equal("got hello\noops\n", output);
    }
}
