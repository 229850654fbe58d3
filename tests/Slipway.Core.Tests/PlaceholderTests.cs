namespace Slipway.Core.Tests;

public sealed class PlaceholderTests
{
    [Fact]
    public void Empty_routing_table_has_generation_zero() =>
        Assert.Equal(0, Slipway.Core.Routing.RoutingTable.Empty.Generation);
}
