using System.Text.Json;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Snapshot;
using Slipway.Testing;

namespace Slipway.Core.Tests.Manifest.Snapshot;

public sealed class SpecSnapshotTests
{
    private static AppManifest Shop()
    {
        var result = ManifestLoader.LoadFile(RepositoryRoot.File("examples", "shop", "slipway.yaml"));
        Assert.Empty(result.FormattedErrors);
        return result.Manifest!;
    }

    [Fact]
    public void WriteThenRead_EveryShopService_GivesTheSameSpec()
    {
        foreach (var (name, spec) in Shop().Services)
        {
            var json = SpecSnapshot.Write(spec);

            Assert.True(SpecSnapshot.TryRead(json, out var read), name);
            Assert.Equal(json, SpecSnapshot.Write(read));
        }
    }

    [Fact]
    public void Write_UsesTheManifestSpelling()
    {
        var json = SpecSnapshot.Write(Shop().Services["api"]);

        Assert.Contains("\"loadBalancing\":\"least-requests\"", json, StringComparison.Ordinal);
        Assert.Contains("\"drainTimeout\":\"15s\"", json, StringComparison.Ordinal);
        Assert.Contains("\"maxErrorRate\":\"1%\"", json, StringComparison.Ordinal);
        Assert.Contains("\"memory\":\"256MB\"", json, StringComparison.Ordinal);
        Assert.Contains("\"LOG_LEVEL\":\"info\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_TheFormEarlierVersionsStored_ReadsTheSameSpec()
    {
        // Earlier versions stored no address ranges (which the default options cannot write anyway).
        var shop = Shop().Services["api"];
        var api = shop with { Routes = [.. shop.Routes.Select(r => r with { Allow = null })] };
        var older = JsonSerializer.Serialize(api, new JsonSerializerOptions());

        Assert.True(SpecSnapshot.TryRead(older, out var read));
        Assert.True(SpecSnapshot.Same(api, read));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("{\"stop\":{\"drainTimeout\":\"soon\"}}")]
    public void TryRead_NotASpec_IsFalse(string? json)
    {
        Assert.False(SpecSnapshot.TryRead(json, out var spec));
        Assert.Null(spec);
    }

    [Fact]
    public void Same_ComparesValuesNotListReferences()
    {
        var api = Shop().Services["api"];
        var copy = api with { Routes = [.. api.Routes] };

        Assert.NotEqual(api, copy);
        Assert.True(SpecSnapshot.Same(api, copy));
        Assert.False(SpecSnapshot.Same(api, api with { Replicas = 4 }));
    }
}
