using Slipway.Core.Manifest;

namespace Slipway.Core.Tests.Manifest.Validation;

/// <summary><c>dependsOn</c>: names that exist, not the service itself, no circle.</summary>
public sealed class DependencyRulesTests
{
    private static IReadOnlyList<string> Errors(string yaml) =>
        ManifestLoader.LoadText(yaml.ReplaceLineEndings("\n"), "app.yaml", Path.GetTempPath()).FormattedErrors.ToList();

    [Fact]
    public void Load_UnknownDependency_ErrorAtTheEntryWithASuggestion()
    {
        var errors = Errors("""
            app: a
            services:
              cache: { run: { command: sleep } }
              api:
                run: { command: sleep }
                dependsOn: [cahce]
            """);

        Assert.Equal(["app.yaml:6:17: services.api.dependsOn[0] names the service `cahce`, which is not in `services`; did you mean `cache`?"], errors);
    }

    [Fact]
    public void Load_Circle_ErrorNamesEveryServiceInIt()
    {
        var errors = Errors("""
            app: a
            services:
              api: { run: { command: sleep }, dependsOn: [worker] }
              web: { run: { command: sleep }, dependsOn: [api] }
              worker: { run: { command: sleep }, dependsOn: [web] }
            """);

        Assert.Equal(["app.yaml:3:47: services.api.dependsOn[0] makes a circle: api → worker → web → api; each would wait for the other to be ready, so none could start"], errors);
    }

    [Theory]
    [InlineData("dependsOn: [api]", "services.api.dependsOn[0] names api itself")]
    [InlineData("dependsOn: [db, db]", "services.api.dependsOn[1] names db twice")]
    public void Load_SelfOrTwice_Refused(string dependsOn, string expected)
    {
        var errors = Errors($"app: a\nservices:\n  db: {{ run: {{ command: sleep }} }}\n  api: {{ run: {{ command: sleep }}, {dependsOn} }}\n");

        Assert.Contains(errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ChainWithoutCircle_Valid()
    {
        Assert.Empty(Errors("""
            app: a
            services:
              db: { run: { command: sleep } }
              cache: { upstream: ["127.0.0.1:6379"] }
              api: { run: { command: sleep }, dependsOn: [db, cache] }
              web: { run: { command: sleep }, dependsOn: [api, db] }
            """));
    }
}
