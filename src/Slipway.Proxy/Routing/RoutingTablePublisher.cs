using Microsoft.Extensions.Logging;
using Slipway.Core.Routing;
using Slipway.Proxy.Endpoints;

namespace Slipway.Proxy.Routing;

/// <summary>
/// Compiles each published table off the request path and swaps it in with one reference
/// write. Requests read <see cref="Current"/> once and keep that snapshot to the end, so a swap
/// never disturbs a request or a connection.
/// </summary>
internal sealed class RoutingTablePublisher : IRoutingTablePublisher
{
    private readonly Lock _publishLock = new();
    private readonly TableCompiler _compiler;
    private readonly EndpointRegistry _registry;
    private readonly ILogger _logger;
    private IReadOnlyDictionary<int, string> _internalPorts = new Dictionary<int, string>();
    private CompiledTable _current = CompiledTable.Empty;

    public RoutingTablePublisher(TableCompiler compiler, EndpointRegistry registry, ILogger logger)
    {
        _compiler = compiler;
        _registry = registry;
        _logger = logger;
    }

    public CompiledTable Current => Volatile.Read(ref _current);

    /// <summary>Raised after each swap, under the publish lock, with the table now current (state kept per endpoint is swept by it).</summary>
    public event Action<CompiledTable>? Published;

    public void Publish(RoutingTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        lock (_publishLock)
        {
            PublishLocked(table);
        }
    }

    /// <summary>Service-to-service listeners are known once bound; recompiles the current table with them.</summary>
    public void SetInternalPorts(IReadOnlyDictionary<int, string> ports)
    {
        lock (_publishLock)
        {
            _internalPorts = ports;
            PublishLocked(Current.Source);
        }
    }

    private void PublishLocked(RoutingTable table)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        var compiled = _compiler.Compile(table, _internalPorts, live);
        Volatile.Write(ref _current, compiled);
        _compiler.Activate(compiled);
        _registry.Sweep(live);
        Published?.Invoke(compiled);
        Log.TablePublished(_logger, table.Generation, table.Routes.Length, table.Services.Count);
    }
}
