namespace Slipway.Server.Api.Contracts;

/// <summary>
/// Whether Slipway runs a service's instances (a stateful one: one instance at a fixed port), routes to endpoints
/// someone else runs, or serves it from a directory at the edge (a static site).
/// </summary>
internal enum ServiceKind
{
    Run,
    Upstream,
    Stateful,
    Static,
}
