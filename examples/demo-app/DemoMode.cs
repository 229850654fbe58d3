namespace Slipway.DemoApp;

/// <summary>What the process does once started.</summary>
internal enum DemoMode
{
    /// <summary>An HTTP server with the endpoints listed in README.md.</summary>
    Http,

    /// <summary>No listener: a log line per unit of periodic work.</summary>
    Worker,

    /// <summary>A plain TCP echo server.</summary>
    Tcp,
}
