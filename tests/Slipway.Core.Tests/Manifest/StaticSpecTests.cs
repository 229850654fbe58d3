using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Manifest;

/// <summary>The <c>static</c> key: its shape, its root checked at its place, and its refusal until the daemon runs it.</summary>
public sealed class StaticSpecTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("slipway-static-spec-").FullName;

    public StaticSpecTests()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "dist", "7"));
        File.WriteAllText(Path.Combine(_dir, "dist", "7", "index.html"), "<!doctype html>");
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private IReadOnlyList<string> Errors(string service, ManifestTarget target = ManifestTarget.Machine) =>
        [.. ManifestLoader.LoadText("app: a\nservices:\n  web:\n" + service, "app.yaml", _dir, target).FormattedErrors];

    [Fact]
    public void Load_RootThatDoesNotExist_ErrorAtTheRoot()
    {
        var errors = Errors("    version: \"8\"\n    static: { root: \"dist/${VERSION}\", spa: true }\n");
        Assert.Contains(errors, e => e.StartsWith("app.yaml:5:21: services.web.static.root names a directory that does not exist: " + Path.Combine(_dir, "dist", "8"), StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RootWithoutItsIndex_ErrorAtTheRoot()
    {
        var errors = Errors("    static: { root: empty }\n");
        Assert.Contains(errors, e => e.StartsWith("app.yaml:4:21: services.web.static.root holds no index.html", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RootOfTheVersion_NoRootError()
    {
        var errors = Errors("    version: \"7\"\n    static: { root: \"dist/${VERSION}\", spa: true }\n");
        Assert.DoesNotContain(errors, e => e.Contains("static.root", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("    run: { command: x }\n    static: { root: dist/7 }\n", "services.web.static cannot be used together with `run`")]
    [InlineData("    static: { root: \"dist/${SERVICE}\" }\n", "services.web.static.root uses ${SERVICE}")]
    [InlineData("    static: { root: dist/7, index: ../x.html }\n", "services.web.static.index must be a file name in the root")]
    [InlineData("    static: { spa: true }\n", "services.web.static.root")]
    public void Load_BadStatic_ClearError(string service, string expected) =>
        Assert.Contains(Errors(service), e => e.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void Load_StaticService_RefusedAsNotSupportedYetOnEveryTarget()
    {
        Assert.Contains(Errors("    static: { root: dist/7 }\n"), e => e.StartsWith("app.yaml:4:13: services.web.static is not supported yet: the edge can serve a directory", StringComparison.Ordinal));
        Assert.Contains(Errors("    static: { root: dist/7 }\n", ManifestTarget.Kubernetes), e => e.Contains("services.web.static is not supported yet: `render kubernetes`", StringComparison.Ordinal));
    }
}
