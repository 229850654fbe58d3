namespace Slipway.Proxy.Edge;

/// <summary>
/// One policy a request passes before it is forwarded. A step decides, it never writes: the front that runs
/// it answers a refusal from the <see cref="EdgeVerdict"/>. Steps run on the request path: no lock, no
/// allocation when the request passes.
/// </summary>
internal interface IEdgeStep
{
    EdgeVerdict Check(scoped in EdgeRequest request);
}
