using Slipway.Core.Routing;

namespace Slipway.Control.Routing;

/// <summary>
/// Keeps the most recent table and tells listeners: where a daemon without an edge proxy publishes
/// (<c>DataPlane.None</c>), and where tests read what was published. Not a proxy: nothing routes by it.
/// </summary>
internal sealed class LatestTablePublisher : IRoutingTablePublisher
{
    private RoutingTable _current = RoutingTable.Empty;

    public RoutingTable Current => Volatile.Read(ref _current);

    public event Action<RoutingTable>? Published;

    public void Publish(RoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        Volatile.Write(ref _current, table);
        Published?.Invoke(table);
    }
}
