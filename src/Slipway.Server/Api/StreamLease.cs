namespace Slipway.Server.Api;

/// <summary>One open stream's place in the <see cref="StreamRegistry"/>: <see cref="Ended"/> fires when it must stop, and <see cref="Reason"/> says why.</summary>
internal sealed class StreamLease : IDisposable
{
    private readonly StreamRegistry _registry;
    private readonly CancellationTokenSource _lifetime;
    private readonly CancellationTokenSource _ended = new();
    private readonly CancellationTokenRegistration _onLifetime;
    private readonly Lock _gate = new();
    private bool _disposed;

    public StreamLease(string token, StreamRegistry registry, TimeProvider time, TimeSpan lifetime)
    {
        Token = token;
        _registry = registry;
        _lifetime = new CancellationTokenSource(lifetime, time);
        _onLifetime = _lifetime.Token.Register(() => End($"the stream was open {Core.Primitives.DurationText.Format(lifetime)}, the longest a stream may be; follow again"));
    }

    public string Token { get; }

    public CancellationToken Ended => _ended.Token;

    /// <summary>Why the daemon ended the stream; null while it runs or when the client went away.</summary>
    public string? Reason { get; private set; }

    public void End(string reason)
    {
        lock (_gate)
        {
            if (_disposed || _ended.IsCancellationRequested)
            {
                return;
            }

            Reason = reason;
            _ended.Cancel();
        }
    }

    public void Dispose()
    {
        _registry.Closed(this);
        _onLifetime.Dispose();
        _lifetime.Dispose();
        lock (_gate)
        {
            _disposed = true;
            _ended.Dispose();
        }
    }
}
