using System.Net;
using Slipway.Core.Manifest.Model;
using Slipway.Proxy.Tests.Static;
using Slipway.Proxy.Tests.Support;

namespace Slipway.Proxy.Tests.FastPath;

/// <summary>A static site behind a proxy whose fast path is on: its revision has no endpoints, so the general path answers it from its files.</summary>
public sealed class FastPathStaticSiteTests
{
    [Theory]
    [MemberData(nameof(ProxyHarness.Transports), MemberType = typeof(ProxyHarness))]
    public async Task Get_StaticSiteWithTheFastPathOn_ServedFromTheSite(string transport)
    {
        var root = Directory.CreateTempSubdirectory("slipway-fast-static-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(root, "index.html"), "<!doctype html><title>fast</title>");
            await using var proxy = await ProxyHarness.StartAsync(StaticSiteTests.SiteTable(root), o => o with { Engine = ProxyEngine.Auto }, transport: transport);

            using var response = await proxy.Client.GetAsync("/");

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("<!doctype html><title>fast</title>", await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
