namespace Slipway.Core.Routing;

/// <summary>
/// A ready endpoint. Instances that are not ready, or are draining, are simply absent
/// from the table: removal is how the proxy learns to stop sending new requests.
/// </summary>
/// <param name="Id">Instance id, stable across tables; passive health and in-flight counts key on it.</param>
internal sealed record EndpointModel(string Id, string Host, int Port, int Weight = 1);
