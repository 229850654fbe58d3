using System.Runtime.InteropServices;

namespace Slipway.Proxy.Edge;

/// <summary>
/// Token buckets for one route, in a fixed table: memory is <see cref="Capacity"/> slots of 16 bytes
/// (1 MiB) whatever the number of clients. Each bucket is one timestamp (GCRA, the "generic cell rate
/// algorithm": the time the bucket would be full again), updated with a compare-exchange, so there is no lock.
/// </summary>
/// <remarks>
/// <para>A key hashes to a group of <see cref="GroupSize"/> slots. A new key takes an empty slot, else one whose
/// bucket has refilled (a full bucket is the same as no bucket, so nothing is lost), else the slot closest to
/// full: under a flood of more distinct keys than slots, the clients that used least lose their history first
/// and the ones that drained their bucket keep it longest. <see cref="Evictions"/> counts the third case.</para>
/// <para>A request racing the eviction of its own slot may be charged to the key that takes the slot over.</para>
/// </remarks>
internal sealed class RateLimiter
{
    public const int Capacity = 65_536;
    public const int GroupSize = 8;

    private readonly Slot[] _slots;
    private readonly int _groups;
    private readonly long _interval;
    private readonly long _tolerance;
    private readonly long _frequency;
    private long _evictions;

    /// <param name="frequency">Timestamp ticks per second (<see cref="TimeProvider.TimestampFrequency"/>).</param>
    public RateLimiter(double perSecond, int burst, long frequency, int capacity = Capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(perSecond, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        PerSecond = perSecond;
        Burst = burst;
        _frequency = frequency;
        _interval = Math.Max(1, (long)(frequency / perSecond));
        _tolerance = _interval * burst;
        _groups = Math.Max(1, capacity / GroupSize);
        _slots = new Slot[_groups * GroupSize];
    }

    public double PerSecond { get; }

    public int Burst { get; }

    public int SlotCount => _slots.Length;

    /// <summary>Keys that lost their bucket to a new key before it had refilled.</summary>
    public long Evictions => Volatile.Read(ref _evictions);

    /// <summary>Slots holding a bucket that has not refilled yet at <paramref name="now"/>.</summary>
    public int Active(long now)
    {
        var active = 0;
        foreach (ref var slot in _slots.AsSpan())
        {
            active += Volatile.Read(ref slot.Key) != 0 && Volatile.Read(ref slot.Full) > now ? 1 : 0;
        }

        return active;
    }

    /// <summary>Takes a token from <paramref name="key"/>'s bucket.</summary>
    /// <param name="key">Any value but 0 (the caller's seeded hash of the key).</param>
    /// <param name="retryAfter">When refused: how long until a token is back.</param>
    /// <param name="remaining">When allowed: tokens left.</param>
    public bool TryTake(ulong key, long now, out TimeSpan retryAfter, out int remaining)
    {
        key = key == 0 ? 1 : key;
        var group = MemoryMarshal.CreateSpan(ref _slots[(int)(key % (ulong)_groups) * GroupSize], GroupSize);
        for (var attempt = 0; attempt < 4; attempt++)
        {
            foreach (ref var slot in group)
            {
                if (Volatile.Read(ref slot.Key) == (long)key)
                {
                    return Take(ref slot, now, out retryAfter, out remaining);
                }
            }

            ref var victim = ref Victim(group, now, out var evicting);
            var seen = Volatile.Read(ref victim.Key);
            var seenFull = Volatile.Read(ref victim.Full);
            if (Interlocked.CompareExchange(ref victim.Key, (long)key, seen) != seen)
            {
                continue;
            }

            if (evicting)
            {
                Interlocked.Increment(ref _evictions);
            }

            // A fresh, full bucket; a thread still charging the old key may have moved it meanwhile, and keeps its charge.
            Interlocked.CompareExchange(ref victim.Full, now, seenFull);
            return Take(ref victim, now, out retryAfter, out remaining);
        }

        // Four lost races for one group in a row: let this request through rather than spin.
        retryAfter = TimeSpan.Zero;
        remaining = 0;
        return true;
    }

    private bool Take(ref Slot slot, long now, out TimeSpan retryAfter, out int remaining)
    {
        while (true)
        {
            var full = Volatile.Read(ref slot.Full);
            var next = Math.Max(full, now) + _interval;
            if (next - now > _tolerance)
            {
                retryAfter = TimeSpan.FromSeconds((double)(next - _tolerance - now) / _frequency);
                remaining = 0;
                return false;
            }

            if (Interlocked.CompareExchange(ref slot.Full, next, full) == full)
            {
                retryAfter = TimeSpan.Zero;
                remaining = (int)((_tolerance - (next - now)) / _interval);
                return true;
            }
        }
    }

    /// <summary>An empty slot, else a refilled one, else the one closest to refilled.</summary>
    private static ref Slot Victim(Span<Slot> group, long now, out bool evicting)
    {
        var best = 0;
        for (var i = 0; i < group.Length; i++)
        {
            if (Volatile.Read(ref group[i].Key) == 0 || Volatile.Read(ref group[i].Full) <= now)
            {
                evicting = false;
                return ref group[i];
            }

            if (Volatile.Read(ref group[i].Full) < Volatile.Read(ref group[best].Full))
            {
                best = i;
            }
        }

        evicting = true;
        return ref group[best];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        /// <summary>The key's hash; 0 while the slot is empty.</summary>
        public long Key;

        /// <summary>When the bucket is full again (GCRA's theoretical arrival time), in timestamp ticks.</summary>
        public long Full;
    }
}
