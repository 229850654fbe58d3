using System.Collections.Concurrent;
using Slipway.Proxy.Edge;
using Slipway.Proxy.Forwarding;

namespace Slipway.Proxy.Endpoints;

/// <summary>
/// What the proxy keeps about a service across routing tables: its retry budget, its maintenance gate and
/// the requests queued for a free endpoint when every endpoint is at <c>MaxInFlight</c>.
/// </summary>
internal sealed class ServiceRuntime
{
    private readonly ConcurrentQueue<TaskCompletionSource<bool>> _waiters = new();
    private int _waiting;

    public ServiceRuntime(string name, RetryBudget retryBudget)
    {
        Name = name;
        RetryBudget = retryBudget;
    }

    public string Name { get; }

    public RetryBudget RetryBudget { get; }

    /// <summary>Where requests held by the service's maintenance wait.</summary>
    public MaintenanceGate Maintenance { get; } = new();

    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Joins the queue unless it already holds <paramref name="limit"/> requests.</summary>
    public TaskCompletionSource<bool>? TryEnqueue(int limit)
    {
        if (Interlocked.Increment(ref _waiting) > limit)
        {
            Interlocked.Decrement(ref _waiting);
            return null;
        }

        var waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Enqueue(waiter);
        return waiter;
    }

    /// <summary>The waiter leaves the queue, signalled or not.</summary>
    public void Leave(TaskCompletionSource<bool> waiter)
    {
        waiter.TrySetResult(false);
        Interlocked.Decrement(ref _waiting);
    }

    /// <summary>An endpoint slot came free: wake the oldest waiter still waiting.</summary>
    public void SignalOne()
    {
        if (Volatile.Read(ref _waiting) == 0)
        {
            return;
        }

        while (_waiters.TryDequeue(out var waiter))
        {
            if (waiter.TrySetResult(true))
            {
                return;
            }
        }
    }
}
