namespace Slipway.Server.Api;

/// <summary>
/// The event and log streams open now, by token. A stream ends at once when its token is revoked, and after
/// <see cref="Lifetime"/> whatever happens; a token may hold <see cref="PerToken"/> streams and the daemon
/// <see cref="Total"/>, because each one holds a buffer (1,000 log streams took the daemon from 136 MB to 430 MB).
/// </summary>
internal sealed class StreamRegistry
{
    public const int DefaultPerToken = 10;
    public const int DefaultTotal = 100;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(24);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly List<StreamLease> _open = [];

    public StreamRegistry(TimeProvider time) => _time = time;

    public int PerToken { get; init; } = DefaultPerToken;

    public int Total { get; init; } = DefaultTotal;

    public TimeSpan Lifetime { get; init; } = DefaultLifetime;

    /// <summary>Streams open now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _open.Count;
            }
        }
    }

    /// <returns>The lease to hold while streaming (dispose it to close), or null with why not and the status to answer.</returns>
    public StreamLease? TryOpen(string token, out string? refusal, out int status)
    {
        lock (_lock)
        {
            if (_open.Count(l => l.Token == token) >= PerToken)
            {
                (refusal, status) = ($"token {token} already has {PerToken} streams open, the most one token may hold; close one first", 429);
                return null;
            }

            if (_open.Count >= Total)
            {
                (refusal, status) = ($"the daemon already serves {Total} streams, the most it holds at once; try again later", 503);
                return null;
            }

            var lease = new StreamLease(token, this, _time, Lifetime);
            _open.Add(lease);
            (refusal, status) = (null, 200);
            return lease;
        }
    }

    /// <summary>Ends every stream of <paramref name="token"/> now: a revoked token reads nothing more.</summary>
    public void Revoke(string token)
    {
        List<StreamLease> ended;
        lock (_lock)
        {
            ended = [.. _open.Where(l => l.Token == token)];
        }

        foreach (var lease in ended)
        {
            lease.End($"token {token} was revoked");
        }
    }

    internal void Closed(StreamLease lease)
    {
        lock (_lock)
        {
            _open.Remove(lease);
        }
    }
}
