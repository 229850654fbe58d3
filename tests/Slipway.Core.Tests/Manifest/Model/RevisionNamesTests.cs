using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;

namespace Slipway.Core.Tests.Manifest.Model;

public sealed class RevisionNamesTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("2.0.1")]
    [InlineData("v1.2-rc_3")]
    [InlineData("1..2")]
    public void IsValidVersion_OnePlainPathSegment_IsAccepted(string version) => Assert.True(RevisionNames.IsValidVersion(version));

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("-rf")]
    [InlineData("--help")]
    [InlineData(".hidden")]
    [InlineData("_x")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("1 2")]
    public void IsValidVersion_DotsOptionsAndSeparators_AreRefused(string version) => Assert.False(RevisionNames.IsValidVersion(version));

    [Fact]
    public void IsValidVersion_Over64Characters_IsRefused() => Assert.False(RevisionNames.IsValidVersion(new string('1', 65)));

    [Theory]
    [InlineData("..")]
    [InlineData("-x")]
    public void Load_ServiceVersionThatIsAPathOrAnOption_IsAManifestError(string version)
    {
        var result = ManifestLoader.LoadText($"app: a\nservices:\n  api:\n    version: \"{version}\"\n    run: {{ command: dotnet }}\n", "app.yaml", Path.GetTempPath());

        Assert.Equal([$"app.yaml:4:14: services.api.version must be {RevisionNames.VersionRule} (got \"{version}\")"], result.FormattedErrors);
    }
}
