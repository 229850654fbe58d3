namespace Slipway.Proxy.Edge;

/// <summary>Request headers as an edge step reads them: by name, first value only.</summary>
internal interface IEdgeHeaders
{
    /// <summary>The first value of the header, or null when the request has none.</summary>
    string? First(string name);
}
