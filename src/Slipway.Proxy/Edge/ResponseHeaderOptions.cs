namespace Slipway.Proxy.Edge;

/// <summary><c>proxy.headers</c> as the proxy takes it.</summary>
internal sealed record ResponseHeaderOptions
{
    /// <summary>The <c>secure</c> preset: nosniff, frame deny, a strict referrer policy, and HSTS over HTTPS.</summary>
    public bool Secure { get; init; }

    public IReadOnlyDictionary<string, string> Set { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Remove { get; init; } = [];
}
