namespace Slipway.Proxy.Forwarding;

/// <summary>
/// Caps retries at a share of requests (Finagle/Linkerd style) so that a failing backend does not
/// receive a multiple of its normal load. Every request deposits one unit; a retry withdraws
/// <c>1 / ratio</c> units. A small reserve lets the first retries through on a quiet service.
/// Lock-free: one interlocked counter.
/// </summary>
internal sealed class RetryBudget
{
    private readonly long _costPerRetry;
    private readonly long _max;
    private long _balance;

    /// <param name="ratio">Retries allowed per request, e.g. 0.2.</param>
    /// <param name="reserve">Retries allowed before any request deposited.</param>
    /// <param name="maxRetries">The most retries the balance can hold (bounds a burst after a quiet spell).</param>
    public RetryBudget(double ratio = 0.2, int reserve = 10, int maxRetries = 100)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ratio);
        _costPerRetry = Math.Max(1, (long)Math.Round(1 / ratio));
        _max = Math.Max(reserve, maxRetries) * _costPerRetry;
        _balance = reserve * _costPerRetry;
    }

    /// <summary>Units currently held; a retry costs <see cref="CostPerRetry"/>.</summary>
    public long Balance => Volatile.Read(ref _balance);

    public long CostPerRetry => _costPerRetry;

    public void RecordRequest()
    {
        if (Volatile.Read(ref _balance) < _max)
        {
            Interlocked.Increment(ref _balance);
        }
    }

    public bool TryWithdraw()
    {
        if (Interlocked.Add(ref _balance, -_costPerRetry) >= 0)
        {
            return true;
        }

        Interlocked.Add(ref _balance, _costPerRetry);
        return false;
    }
}
