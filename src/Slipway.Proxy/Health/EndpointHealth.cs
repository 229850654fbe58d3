namespace Slipway.Proxy.Health;

/// <summary>
/// Passive health of one endpoint: consecutive failures and the failure rate over a window
/// eject it for a reactivation period that doubles on each repeat. Updated from many request
/// threads with interlocked operations only; races between window rolls lose a sample at worst.
/// </summary>
internal sealed class EndpointHealth
{
    private readonly PassiveHealthOptions _options;
    private readonly TimeProvider _time;
    private readonly long _windowTicks;
    private readonly long _baseEjectionTicks;
    private readonly long _maxEjectionTicks;
    private int _consecutiveFailures;
    private long _windowStart;
    private int _windowRequests;
    private int _windowFailures;
    private long _ejectedUntil;
    private long _lastEjectionEnd;
    private int _ejections;

    public EndpointHealth(PassiveHealthOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _windowTicks = ToTicks(options.Window, time);
        _baseEjectionTicks = ToTicks(options.BaseEjection, time);
        _maxEjectionTicks = Math.Max(_baseEjectionTicks, ToTicks(options.MaxEjection, time));
        _windowStart = time.GetTimestamp();
    }

    /// <summary>How many times in a row the endpoint has been ejected (drives the growing period).</summary>
    public int Ejections => Volatile.Read(ref _ejections);

    public bool IsEjected(long now) => now < Volatile.Read(ref _ejectedUntil);

    public bool IsEjected() => IsEjected(_time.GetTimestamp());

    public void ReportSuccess(long now)
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }

        RollWindow(now);
        Interlocked.Increment(ref _windowRequests);
    }

    /// <summary>Records a failure; returns true when this failure ejected the endpoint.</summary>
    public bool ReportFailure(long now)
    {
        RollWindow(now);
        var requests = Interlocked.Increment(ref _windowRequests);
        var failures = Interlocked.Increment(ref _windowFailures);
        var consecutive = Interlocked.Increment(ref _consecutiveFailures);
        if (IsEjected(now))
        {
            return false;
        }

        var byCount = _options.ConsecutiveFailures > 0 && consecutive >= _options.ConsecutiveFailures;
        var byRate = _options.FailureRate > 0 && requests >= _options.MinimumRequests
            && failures >= _options.FailureRate * requests;
        return (byCount || byRate) && TryEject(now);
    }

    private bool TryEject(long now)
    {
        var current = Volatile.Read(ref _ejectedUntil);
        if (now < current)
        {
            return false;
        }

        // A long healthy stretch since the last ejection forgets the history.
        var lastEnd = Volatile.Read(ref _lastEjectionEnd);
        var ejections = Volatile.Read(ref _ejections);
        if (lastEnd != 0 && now - lastEnd > _maxEjectionTicks)
        {
            ejections = 0;
        }

        var shift = Math.Min(ejections, 20);
        var period = Math.Min(_maxEjectionTicks, _baseEjectionTicks << shift);
        var until = now + period;
        if (Interlocked.CompareExchange(ref _ejectedUntil, until, current) != current)
        {
            return false;
        }

        Volatile.Write(ref _ejections, ejections + 1);
        Volatile.Write(ref _lastEjectionEnd, until);
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _windowRequests, 0);
        Volatile.Write(ref _windowFailures, 0);
        Volatile.Write(ref _windowStart, until);
        return true;
    }

    private void RollWindow(long now)
    {
        var start = Volatile.Read(ref _windowStart);
        if (now - start < _windowTicks)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _windowStart, now, start) == start)
        {
            Volatile.Write(ref _windowRequests, 0);
            Volatile.Write(ref _windowFailures, 0);
        }
    }

    private static long ToTicks(TimeSpan duration, TimeProvider time) =>
        (long)(duration.TotalSeconds * time.TimestampFrequency);
}
