using Slipway.Core.Routing;

namespace Slipway.Control.Routing;

/// <summary>An endpoint that may take traffic now: ready and not draining.</summary>
internal sealed record ReadyEndpoint(string Service, string Revision, EndpointModel Endpoint);
