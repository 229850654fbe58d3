using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Tests.Manifest;

public sealed class ProxyEngineSpecTests
{
    private static ManifestLoadResult Load(string yaml) => ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath());

    [Fact]
    public void Load_NoEngine_IsAuto() => Assert.Equal(ProxyEngine.Auto, Load("app: a\n").Manifest!.Proxy.Engine);

    [Fact]
    public void Load_EngineGeneral_IsGeneral() =>
        Assert.Equal(ProxyEngine.General, Load("app: a\nproxy: { engine: general }\n").Manifest!.Proxy.Engine);

    [Fact]
    public void Load_UnknownEngine_IsRefusedAtItsPlace()
    {
        var error = Assert.Single(Load("app: a\nproxy:\n  engine: turbo\n").FormattedErrors);

        Assert.StartsWith("app.yaml:3:11: proxy.engine", error, StringComparison.Ordinal);
        Assert.Contains("auto", error, StringComparison.Ordinal);
    }
}
