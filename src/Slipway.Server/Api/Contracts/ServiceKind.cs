namespace Slipway.Server.Api.Contracts;

/// <summary>Whether Slipway runs a service's instances or routes to endpoints someone else runs.</summary>
internal enum ServiceKind
{
    Run,
    Upstream,
}
