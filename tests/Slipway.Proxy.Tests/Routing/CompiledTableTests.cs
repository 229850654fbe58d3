using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;
using Slipway.Proxy.Health;
using Slipway.Proxy.LoadBalancing;
using Slipway.Proxy.Routing;
using static Slipway.Proxy.Tests.Support.Tables;

namespace Slipway.Proxy.Tests.Routing;

public sealed class CompiledTableTests
{
    private static readonly HeaderDictionary NoHeaders = [];

    private static string? MatchName(RoutingTable table, string? host, string path, string method = "GET", HeaderDictionary? headers = null) =>
        Compile(table).Match(host, path, method, headers ?? NoHeaders)?.Name;

    private static RoutingTable TableOf(params RouteModel[] routes) =>
        Table(routes, Service("svc", null, Revision("v1", 1, Endpoint("e1"))));

    [Fact]
    public void Compile_ServicesRetryBudget_FollowsItsPolicyAcrossTables()
    {
        var registry = new EndpointRegistry(PassiveHealthOptions.Default, TimeProvider.System);
        var compiler = new TableCompiler(registry, new LoadBalancingPolicies(new Random(1)), ProxyDefaults.Default, NullLogger.Instance);
        CompiledService CompileWith(double budget) => compiler
            .Compile(Single("svc", new ServicePolicy { RetryBudget = budget }, null, Endpoint("e1")), new Dictionary<int, string>(), [])
            .Services["svc"];

        var first = CompileWith(0.05);
        var second = CompileWith(0.5);

        Assert.Same(first.Runtime.RetryBudget, second.Runtime.RetryBudget);
        Assert.Equal(0.5, second.Runtime.RetryBudget.Ratio);
    }

    [Fact]
    public void Match_ExactHost_BeatsWildcardAndAnyHost()
    {
        var table = TableOf(Route("any", "svc"), Route("wild", "svc", "*.example.com"), Route("exact", "svc", "api.example.com"));

        Assert.Equal("exact", MatchName(table, "api.example.com", "/x"));
        Assert.Equal("wild", MatchName(table, "www.example.com", "/x"));
        Assert.Equal("any", MatchName(table, "other.test", "/x"));
    }

    [Fact]
    public void Match_WildcardHost_MatchesSubdomainsButNotTheApex()
    {
        var table = TableOf(Route("wild", "svc", "*.example.com"));

        Assert.Equal("wild", MatchName(table, "a.b.example.com", "/"));
        Assert.Null(MatchName(table, "example.com", "/"));
        Assert.Null(MatchName(table, "badexample.com", "/"));
    }

    [Fact]
    public void Match_LongerWildcardSuffix_Wins()
    {
        var table = TableOf(Route("short", "svc", "*.example.com"), Route("long", "svc", "*.api.example.com"));

        Assert.Equal("long", MatchName(table, "v1.api.example.com", "/"));
        Assert.Equal("short", MatchName(table, "www.example.com", "/"));
    }

    [Fact]
    public void Match_HostWithPortCaseAndTrailingDot_IsNormalized()
    {
        var table = TableOf(Route("exact", "svc", "api.example.com"));

        Assert.Equal("exact", MatchName(table, "API.Example.com:8443", "/"));
        Assert.Equal("exact", MatchName(table, "api.example.com.", "/"));
    }

    [Theory]
    [InlineData("/api", true)]
    [InlineData("/api/", true)]
    [InlineData("/api/orders/1", true)]
    [InlineData("/apix", false)]
    [InlineData("/ap", false)]
    [InlineData("/API", false)]
    public void Match_PathPrefix_IsSegmentAware(string path, bool matches)
    {
        var table = TableOf(Route("api", "svc", path: "/api/"));

        Assert.Equal(matches ? "api" : null, MatchName(table, "h", path));
    }

    [Fact]
    public void Match_LongerPathPrefix_Wins_RegardlessOfOrder()
    {
        var table = TableOf(Route("root", "svc", path: "/"), Route("api", "svc", path: "/api"), Route("orders", "svc", path: "/api/orders"));

        Assert.Equal("orders", MatchName(table, "h", "/api/orders/7"));
        Assert.Equal("api", MatchName(table, "h", "/api/users"));
        Assert.Equal("root", MatchName(table, "h", "/index.html"));
    }

    [Fact]
    public void Match_MethodsAndHeaders_ConstrainAndOutrankPlainRoutes()
    {
        var table = TableOf(
            Route("plain", "svc", path: "/api"),
            Route("post", "svc", path: "/api", methods: ["POST"]),
            Route("beta", "svc", path: "/api", headers: new() { ["X-Beta"] = "yes" }));

        Assert.Equal("post", MatchName(table, "h", "/api", "post"));
        Assert.Equal("beta", MatchName(table, "h", "/api", "GET", new HeaderDictionary { ["x-beta"] = "YES" }));
        Assert.Equal("plain", MatchName(table, "h", "/api", "GET", new HeaderDictionary { ["x-beta"] = "no" }));
    }

    [Fact]
    public void Match_ExactHostWithoutMatchingPath_FallsBackToLessSpecificHosts()
    {
        var table = TableOf(Route("exact", "svc", "api.example.com", path: "/v2"), Route("any", "svc"));

        Assert.Equal("any", MatchName(table, "api.example.com", "/v1"));
    }

    [Fact]
    public void Match_NothingMatches_ReturnsNull()
    {
        var table = TableOf(Route("api", "svc", "api.example.com", path: "/api"));

        Assert.Null(MatchName(table, "api.example.com", "/other"));
        Assert.Null(MatchName(table, null, "/api"));
    }

    [Fact]
    public void Match_RouteToUnknownService_StillMatchesWithoutService()
    {
        var table = Table([Route("ghost", "missing")], Service("svc", null, Revision("v1", 1, Endpoint("e1"))));

        var route = Compile(table).Match("h", "/", "GET", NoHeaders);

        Assert.NotNull(route);
        Assert.Null(route.Service);
    }
}
