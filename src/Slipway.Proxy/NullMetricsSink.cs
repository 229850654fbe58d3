using Slipway.Core.Routing;

namespace Slipway.Proxy;

/// <summary>Discards samples when nothing is listening.</summary>
internal sealed class NullMetricsSink : IRequestMetricsSink
{
    public static NullMetricsSink Instance { get; } = new();

    public void Record(in RequestSample sample)
    {
    }
}
