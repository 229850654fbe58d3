namespace Slipway.Proxy;

/// <summary>Proxy-wide counts the dashboard and tests read. Interlocked increments only.</summary>
internal sealed class ProxyCounters
{
    private long _requests;
    private long _noRoute;
    private long _shed;
    private long _retries;
    private long _retryBudgetExhausted;
    private long _shielded;
    private long _ejections;
    private long _backendFailures;
    private long _edgeRefusals;

    public long Requests => Volatile.Read(ref _requests);

    public long NoRoute => Volatile.Read(ref _noRoute);

    /// <summary>Requests answered 503 because every endpoint was at its in-flight limit and the queue was full or too slow.</summary>
    public long Shed => Volatile.Read(ref _shed);

    public long Retries => Volatile.Read(ref _retries);

    /// <summary>Retries that were safe but refused by the retry budget.</summary>
    public long RetryBudgetExhausted => Volatile.Read(ref _retryBudgetExhausted);

    /// <summary>Requests a canary failed and the stable revision answered.</summary>
    public long Shielded => Volatile.Read(ref _shielded);

    public long Ejections => Volatile.Read(ref _ejections);

    /// <summary>Attempts that failed before a response: connect errors, resets, timeouts.</summary>
    public long BackendFailures => Volatile.Read(ref _backendFailures);

    /// <summary>Requests an edge step (allow list, rate limit, maintenance) answered itself.</summary>
    public long EdgeRefusals => Volatile.Read(ref _edgeRefusals);

    internal void OnRequest() => Interlocked.Increment(ref _requests);

    internal void OnNoRoute() => Interlocked.Increment(ref _noRoute);

    internal void OnShed() => Interlocked.Increment(ref _shed);

    internal void OnRetry() => Interlocked.Increment(ref _retries);

    internal void OnRetryBudgetExhausted() => Interlocked.Increment(ref _retryBudgetExhausted);

    internal void OnShielded() => Interlocked.Increment(ref _shielded);

    internal void OnEjection() => Interlocked.Increment(ref _ejections);

    internal void OnBackendFailure() => Interlocked.Increment(ref _backendFailures);

    internal void OnEdgeRefusal() => Interlocked.Increment(ref _edgeRefusals);
}
