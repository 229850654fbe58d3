using System.Collections.Concurrent;

namespace Slipway.Server.Auth;

/// <summary>
/// Slows guessing: after <see cref="MaxFailures"/> failed authentications from one address within
/// <see cref="Window"/>, further failures from that address get 429 until <see cref="Lockout"/> has passed
/// since its last failure. Only failures are slowed: the middleware admits a valid token before it asks here,
/// and a success does not clear the count (else a guesser sharing 127.0.0.1 with the CLI or Prometheus would
/// be reset by their every call). Time comes from the injected clock so tests can move it.
/// </summary>
internal sealed class AuthFailureLimiter
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Failures> _byAddress = new(StringComparer.Ordinal);

    public AuthFailureLimiter(TimeProvider time) => _time = time;

    public int MaxFailures { get; init; } = 10;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    public TimeSpan Lockout { get; init; } = TimeSpan.FromSeconds(30);

    /// <returns>How long the address must wait, or null when it may try.</returns>
    public TimeSpan? RetryAfter(string address)
    {
        if (!_byAddress.TryGetValue(address, out var failures))
        {
            return null;
        }

        lock (failures)
        {
            var now = _time.GetUtcNow();
            if (failures.Count < MaxFailures)
            {
                return null;
            }

            var until = failures.Last + Lockout;
            if (now >= until)
            {
                failures.Count = 0;
                return null;
            }

            return until - now;
        }
    }

    public void Failed(string address)
    {
        var failures = _byAddress.GetOrAdd(address, _ => new Failures());
        lock (failures)
        {
            var now = _time.GetUtcNow();
            if (now - failures.First > Window)
            {
                failures.First = now;
                failures.Count = 0;
            }

            failures.Count++;
            failures.Last = now;
        }
    }

    private sealed class Failures
    {
        public DateTimeOffset First { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset Last { get; set; }

        public int Count { get; set; }
    }
}
