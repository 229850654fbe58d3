using Slipway.Control.Supervision;

namespace Slipway.Control.Alerts;

/// <summary>Each instance's restart count at every evaluation, kept for the longest <c>instance_restarts[...]</c> window.</summary>
internal sealed class RestartHistory(TimeSpan keep)
{
    private readonly Dictionary<string, Queue<(DateTimeOffset At, int Restarts)>> _seen = new(StringComparer.Ordinal);

    public void Sample(IReadOnlyList<InstanceStatus> instances, DateTimeOffset now)
    {
        var live = new HashSet<string>(StringComparer.Ordinal);
        foreach (var instance in instances)
        {
            live.Add(instance.Id);
            if (!_seen.TryGetValue(instance.Id, out var queue))
            {
                _seen[instance.Id] = queue = new Queue<(DateTimeOffset, int)>();
            }

            queue.Enqueue((now, instance.Restarts));
            while (queue.Count > 1 && now - queue.Peek().At > keep)
            {
                queue.Dequeue();
            }
        }

        foreach (var gone in _seen.Keys.Where(k => !live.Contains(k)).ToList())
        {
            _seen.Remove(gone);
        }
    }

    /// <summary>Restarts since <paramref name="now"/> − <paramref name="window"/> (since first seen, when younger).</summary>
    public int Increase(InstanceStatus instance, DateTimeOffset now, TimeSpan window)
    {
        if (!_seen.TryGetValue(instance.Id, out var queue))
        {
            return 0;
        }

        var baseline = queue.Peek().Restarts;
        foreach (var (at, restarts) in queue)
        {
            if (at <= now - window)
            {
                baseline = restarts;
            }
        }

        return Math.Max(0, instance.Restarts - baseline);
    }
}
