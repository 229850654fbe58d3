using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Supervision;

/// <summary>
/// The restart policy, exponential backoff and crash-loop detection of one instance slot. Pure: it is told the
/// time, so it is tested with a manual clock.
/// </summary>
/// <remarks>
/// The wait after the n-th restart in a row is <c>backoff × 2^(n-1)</c>, at most <c>maxBackoff</c>. A run of
/// <c>resetAfter</c> or longer starts the count over and clears the crash-loop flag. <c>crashLoopThreshold</c>
/// restarts within <c>crashLoopWindow</c> make the slot crash-looping: reported once, and from then on each
/// retry waits <c>maxBackoff</c> — never a hot loop, never giving up (an operator may be fixing the cause).
/// Every restart counts, clean exits under <c>always</c> included: a process that keeps exiting is broken either way.
/// </remarks>
internal sealed class RestartTracker
{
    private readonly RestartSpec _spec;
    private readonly Queue<DateTimeOffset> _restarts = new();
    private int _consecutive;
    private DateTimeOffset? _runningSince;

    public RestartTracker(RestartSpec spec) => _spec = spec;

    public bool IsCrashLooping { get; private set; }

    public int RestartCount { get; private set; }

    public void OnStarted(DateTimeOffset now) => _runningSince = now;

    /// <summary>Called while running: after <c>resetAfter</c> of uninterrupted running the slot counts as healthy again.</summary>
    /// <returns>True when this call cleared the crash-loop flag.</returns>
    public bool OnStillRunning(DateTimeOffset now)
    {
        if (_runningSince is { } since && now - since >= _spec.ResetAfter && (_consecutive > 0 || IsCrashLooping))
        {
            var wasLooping = IsCrashLooping;
            _consecutive = 0;
            _restarts.Clear();
            IsCrashLooping = false;
            return wasLooping;
        }

        return false;
    }

    /// <param name="failed">The exit was a failure (non-zero, a signal, unknown, a failed probe, or it never started).</param>
    public RestartDecision OnExited(DateTimeOffset now, bool failed)
    {
        OnStillRunning(now);
        _runningSince = null;
        var restart = _spec.Policy switch
        {
            RestartPolicy.Always => true,
            RestartPolicy.OnFailure => failed,
            _ => false,
        };
        if (!restart)
        {
            return new RestartDecision(false, TimeSpan.Zero, IsCrashLooping, false);
        }

        RestartCount++;
        _restarts.Enqueue(now);
        while (_restarts.Count > 0 && now - _restarts.Peek() > _spec.CrashLoopWindow)
        {
            _restarts.Dequeue();
        }

        var wasLooping = IsCrashLooping;
        IsCrashLooping = _restarts.Count >= _spec.CrashLoopThreshold;
        var delay = IsCrashLooping ? _spec.MaxBackoff : Backoff(_consecutive);
        _consecutive++;
        return new RestartDecision(true, delay, IsCrashLooping, IsCrashLooping && !wasLooping);
    }

    private TimeSpan Backoff(int consecutive)
    {
        var factor = Math.Pow(2, Math.Min(consecutive, 30));
        var ticks = _spec.Backoff.Ticks * factor;
        return ticks >= _spec.MaxBackoff.Ticks ? _spec.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}
