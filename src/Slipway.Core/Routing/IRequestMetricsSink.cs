namespace Slipway.Core.Routing;

/// <summary>Receives every finished request; called on the request path, so it must not block.</summary>
internal interface IRequestMetricsSink
{
    void Record(in RequestSample sample);
}
