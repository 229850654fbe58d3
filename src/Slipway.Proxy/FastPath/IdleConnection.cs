namespace Slipway.Proxy.FastPath;

/// <summary>A connection waiting in a <see cref="BackendPool"/>, and when it came back (a <see cref="TimeProvider"/> timestamp).</summary>
internal readonly record struct IdleConnection(BackendConnection Connection, long ReturnedAt);
