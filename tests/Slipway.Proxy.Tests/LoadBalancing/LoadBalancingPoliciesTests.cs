using Slipway.Proxy.LoadBalancing;

namespace Slipway.Proxy.Tests.LoadBalancing;

public sealed class LoadBalancingPoliciesTests
{
    [Theory]
    [InlineData("power-of-two")]
    [InlineData("least-requests")]
    [InlineData("round-robin")]
    [InlineData("random")]
    [InlineData("ip-hash")]
    public void TryGet_KnownName_ReturnsThatPolicy(string name)
    {
        var policies = new LoadBalancingPolicies(new Random(1));

        Assert.True(policies.TryGet(name, out var policy));
        Assert.Equal(name, policy.Name);
    }

    [Fact]
    public void TryGet_UnknownName_FallsBackToPowerOfTwo()
    {
        var policies = new LoadBalancingPolicies(new Random(1));

        Assert.False(policies.TryGet("fastest", out var policy));
        Assert.Equal("power-of-two", policy.Name);
    }
}
