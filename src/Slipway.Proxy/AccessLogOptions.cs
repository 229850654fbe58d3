namespace Slipway.Proxy;

/// <summary>The structured access log: off by default; when on, every Nth request is written.</summary>
internal sealed record AccessLogOptions
{
    public bool Enabled { get; init; }

    /// <summary>1 logs every request; 100 logs one in a hundred.</summary>
    public int SampleEvery { get; init; } = 1;
}
