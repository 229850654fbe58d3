namespace Slipway.Proxy;

/// <summary>The structured access log: off by default; when on, every Nth request is written.</summary>
internal sealed record AccessLogOptions
{
    /// <summary>The logger category of the access lines, apart from the proxy's other messages.</summary>
    public const string Category = "Slipway.Access";

    public bool Enabled { get; init; }

    /// <summary>1 logs every request; 100 logs one in a hundred.</summary>
    public int SampleEvery { get; init; } = 1;
}
