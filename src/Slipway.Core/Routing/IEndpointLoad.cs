namespace Slipway.Core.Routing;

/// <summary>What the proxy tells the supervisor about an endpoint, so it can drain before it stops.</summary>
internal interface IEndpointLoad
{
    /// <summary>Requests and WebSockets the proxy currently holds open to the endpoint.</summary>
    int InFlight(string endpointId);
}
