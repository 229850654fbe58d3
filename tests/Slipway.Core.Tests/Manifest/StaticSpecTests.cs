using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Manifest;

/// <summary>The <c>static</c> key: its shape, its root checked at its place, and the keys a site has no use for, and its refusal by `render kubernetes`.</summary>
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
    public void Load_StaticService_AcceptedOnThisMachine()
    {
        Assert.Empty(Errors("    version: \"7\"\n    static: { root: \"dist/${VERSION}\", spa: true }\n    routes: [{ path: / }]\n    deploy: { strategy: blue-green }\n"));
    }

    [Fact]
    public void Load_StaticServiceForKubernetes_RefusedWithWhatToDoInstead()
    {
        Assert.Contains(Errors("    static: { root: dist/7 }\n", ManifestTarget.Kubernetes),
            e => e.StartsWith("app.yaml:4:13: services.web.static is not supported yet by `render kubernetes`: a static site is a directory on this machine", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("    health: { readiness: { http: /ready } }\n", "app.yaml:5:13: services.web.health does not apply to a static site")]
    [InlineData("    autoscale: { min: 1, max: 3, cpu: 70% }\n", "app.yaml:5:16: services.web.autoscale does not apply to a static site")]
    [InlineData("    dependsOn: [api]\n", "services.web.dependsOn does not apply to a static site")]
    [InlineData("    loadBalancing: round-robin\n", "app.yaml:5:20: services.web.loadBalancing does not apply to a static site")]
    [InlineData("    replicas: 3\n", "app.yaml:5:15: services.web.replicas must be 1 for a static site")]
    [InlineData("    stateful: true\n", "services.web.stateful needs `run`")]
    public void Load_InstanceKeyOnAStaticSite_ClearError(string key, string expected) =>
        Assert.Contains(Errors("    static: { root: dist/7 }\n" + key), e => e.StartsWith(expected, StringComparison.Ordinal) || (!expected.StartsWith("app.yaml", StringComparison.Ordinal) && e.Contains(expected, StringComparison.Ordinal)));
}
