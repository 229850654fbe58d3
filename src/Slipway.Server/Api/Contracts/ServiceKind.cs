namespace Slipway.Server.Api.Contracts;

/// <summary>Whether Slipway runs a service's instances (a stateful one: one instance at a fixed port) or routes to endpoints someone else runs.</summary>
internal enum ServiceKind
{
    Run,
    Upstream,
    Stateful,
}
