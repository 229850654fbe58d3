using Microsoft.AspNetCore.Http;
using Slipway.Core.Routing;
using Slipway.Proxy.Routing;
using Slipway.Proxy.Tests.Support;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Routing;

public sealed class RevisionSelectorTests
{
    private static CompiledService Canary(int stableWeight = 90, int canaryWeight = 10, int darkWeight = 0) =>
        Compile(Table(
            [Route("r", "api")],
            Service("api", null,
                Revision("v1", stableWeight, Endpoint("a1")),
                Revision("v2", canaryWeight, Endpoint("b1")),
                Revision("v3", darkWeight, Endpoint("c1"))))).Services["api"];

    private static string? Select(CompiledService service, HeaderDictionary headers, Random random, AffinityMode affinity = AffinityMode.None, uint hash = 0) =>
        RevisionSelector.Select(service, headers, affinity, hash, random, out _, out _)?.Name;

    [Fact]
    public void Select_Weights_SplitTrafficByTheRandomPoint()
    {
        var service = Canary();

        Assert.Equal("v1", Select(service, [], new FixedRandom(0)));
        Assert.Equal("v1", Select(service, [], new FixedRandom(89)));
        Assert.Equal("v2", Select(service, [], new FixedRandom(90)));
        Assert.Equal("v2", Select(service, [], new FixedRandom(99)));
    }

    [Fact]
    public void Select_PinHeader_ReachesARevisionAtWeightZero()
    {
        var service = Canary();

        var chosen = RevisionSelector.Select(service, new HeaderDictionary { ["X-Slipway-Revision"] = "v3" }, AffinityMode.None, 0, new FixedRandom(0), out _, out var pinned);

        Assert.Equal("v3", chosen?.Name);
        Assert.True(pinned);
    }

    [Fact]
    public void Select_PinCookie_IsHonoured()
    {
        var service = Canary();

        Assert.Equal("v2", Select(service, new HeaderDictionary { ["Cookie"] = "a=1; slipway-revision=v2; b=2" }, new FixedRandom(0)));
    }

    [Fact]
    public void Select_PinToUnknownRevision_FallsBackToWeights()
    {
        var service = Canary();

        Assert.Equal("v1", Select(service, new HeaderDictionary { ["X-Slipway-Revision"] = "v9" }, new FixedRandom(5)));
    }

    [Fact]
    public void Select_CookieAffinity_SetsCookieThenKeepsTheClientThere()
    {
        var service = Canary();

        var first = RevisionSelector.Select(service, new HeaderDictionary(), AffinityMode.Cookie, 0, new FixedRandom(95), out var setCookie, out _);
        Assert.Equal("v2", first?.Name);
        Assert.True(setCookie);
        Assert.StartsWith("slipway-affinity=v2;", first!.AffinityCookie, StringComparison.Ordinal);

        var again = RevisionSelector.Select(service, new HeaderDictionary { ["Cookie"] = "slipway-affinity=v2" }, AffinityMode.Cookie, 0, new FixedRandom(0), out setCookie, out _);
        Assert.Equal("v2", again?.Name);
        Assert.False(setCookie);
    }

    [Fact]
    public void Select_CookieAffinityToRevisionAtWeightZero_IsIgnored()
    {
        var service = Canary();

        Assert.Equal("v1", Select(service, new HeaderDictionary { ["Cookie"] = "slipway-affinity=v3" }, new FixedRandom(0), AffinityMode.Cookie));
    }

    [Fact]
    public void Select_ClientIpAffinity_SameAddressSameRevision()
    {
        var service = Canary(50, 50);

        Assert.Equal("v1", Select(service, [], new FixedRandom(99), AffinityMode.ClientIp, hash: 10));
        Assert.Equal("v1", Select(service, [], new FixedRandom(0), AffinityMode.ClientIp, hash: 10));
        Assert.Equal("v2", Select(service, [], new FixedRandom(0), AffinityMode.ClientIp, hash: 60));
    }

    [Fact]
    public void Select_RevisionWithoutEndpoints_TakesNoTraffic()
    {
        var service = Compile(Table(
            [Route("r", "api")],
            Service("api", null, Revision("v1", 50, Endpoint("a1")), Revision("v2", 50)))).Services["api"];

        for (var point = 0; point < 100; point += 7)
        {
            Assert.Equal("v1", Select(service, [], new FixedRandom(point)));
        }
    }
}
