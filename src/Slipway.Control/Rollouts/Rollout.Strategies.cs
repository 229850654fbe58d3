using System.Globalization;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Primitives;

namespace Slipway.Control.Rollouts;

/// <summary>The three ways a new revision comes in: rolling, blue-green, canary.</summary>
internal sealed partial class Rollout
{
    /// <summary>
    /// Instance by instance: at most <c>maxSurge</c> extra instances, at least replicas − <c>maxUnavailable</c>
    /// ready at all times; traffic follows the ready instances, and an old one drains only once a new one is ready.
    /// </summary>
    private async Task RunRollingAsync()
    {
        var n = Replicas;
        var surge = CountOf(Deploy.MaxSurge, n, roundUp: true);
        var unavailable = CountOf(Deploy.MaxUnavailable, n, roundUp: false);
        if (surge == 0 && unavailable == 0)
        {
            surge = 1;
        }

        var oldCount = n;
        var newCount = 0;
        var smoked = false;
        var step = 0;
        while (true)
        {
            await WhilePausedAsync().ConfigureAwait(false);
            var readyNew = Ready(Revision);
            var removable = Math.Min(oldCount, readyNew + oldCount - (n - unavailable));
            if (removable > 0 && (smoked || readyNew == 0))
            {
                oldCount -= removable;
                SetWeights(oldCount, readyNew);
                SetPhase(RolloutPhase.Rolling, ++step);
                Record(EventKinds.RolloutStep, $"step {step.ToString(CultureInfo.InvariantCulture)}: new {readyNew}/{n} ready, old {oldCount}/{n}; draining {removable} old");
                await Host.ScaleRevisionAsync(Service, StableRevision, oldCount).ConfigureAwait(false);
            }

            if (oldCount == 0 && readyNew >= n)
            {
                break;
            }

            var targetNew = Math.Min(n, n + surge - oldCount);
            if (targetNew > newCount)
            {
                if (newCount == 0)
                {
                    await Host.StartRevisionAsync(Service, Revision, Version, targetNew).ConfigureAwait(false);
                }
                else
                {
                    await Host.ScaleRevisionAsync(Service, Revision, targetNew).ConfigureAwait(false);
                }

                newCount = targetNew;
            }

            SetPhase(RolloutPhase.WaitingReady);
            await WaitReadyAsync(newCount).ConfigureAwait(false);
            await SmokeAsync().ConfigureAwait(false);
            smoked = true;

            SetWeights(oldCount, Ready(Revision));
        }

        await PromoteNowAsync().ConfigureAwait(false);
    }

    /// <summary>The full new set beside the old; smoke checks through the pin; then one switch, automatic or by <c>slipway promote</c>.</summary>
    private async Task RunBlueGreenAsync()
    {
        await Host.StartRevisionAsync(Service, Revision, Version, Replicas).ConfigureAwait(false);
        SetPhase(RolloutPhase.WaitingReady);
        await WaitReadyAsync(Replicas).ConfigureAwait(false);
        await SmokeAsync().ConfigureAwait(false);
        if (!Deploy.AutoPromote && Strategy != RolloutStrategy.Rollback)
        {
            SetPhase(RolloutPhase.WaitingPromotion);
            Record(EventKinds.RolloutStep, $"revision {Revision} ready ({Replicas} instances) and reachable with the {SmokeChecker.PinHeader}: {Revision} header"
                + (Deploy.PreviewHost is { } preview ? $" or on host {preview}" : "") + $"; `slipway promote {Service}` switches traffic");
            while (!PromoteRequested())
            {
                await WhilePausedAsync().ConfigureAwait(false);
                await WatchNewAsync().ConfigureAwait(false);
                await WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            }
        }

        await PromoteNowAsync().ConfigureAwait(false);
    }

    /// <summary>Steps of weight and pause; canary instances scaled to the weight (at least one); analysis every interval.</summary>
    private async Task RunCanaryAsync()
    {
        var steps = Deploy.Steps;
        var running = 0;
        for (var i = 0; i < steps.Count && !PromoteRequested(); i++)
        {
            await WhilePausedAsync().ConfigureAwait(false);
            var weight = steps[i].Weight;
            var replicas = Math.Clamp((int)Math.Ceiling(Replicas * weight / 100.0), 1, Replicas);
            if (i == 0)
            {
                await Host.StartRevisionAsync(Service, Revision, Version, replicas).ConfigureAwait(false);
            }
            else
            {
                await Host.ScaleRevisionAsync(Service, Revision, replicas).ConfigureAwait(false);
            }

            SetPhase(RolloutPhase.WaitingReady);
            await WaitReadyAsync(replicas).ConfigureAwait(false);
            if (i == 0)
            {
                await SmokeAsync().ConfigureAwait(false);
                // From the end of the last whole second: the first window holds only requests made after the split.
                _windowStart = DateTimeOffset.FromUnixTimeSeconds(_context.Time.GetUtcNow().ToUnixTimeSeconds()) - TimeSpan.FromTicks(1);
                _lastAnalysisAt = _context.Time.GetTimestamp();
            }

            SetWeights(100 - weight, weight);
            if (replicas > running)
            {
                // Fresh instances answer slowly while they compile their code: their latency is judged once warm.
                _warmFrom = _context.Time.GetUtcNow() + Deploy.Analysis.Warmup;
                running = replicas;
            }

            SetPhase(RolloutPhase.Canary, i + 1);
            var pause = steps[i].Pause;
            Record(EventKinds.RolloutStep, $"step {i + 1}/{steps.Count}: {weight}% to revision {Revision} on {replicas} instance(s); "
                + (pause.UntilPromoted ? "waiting for `slipway promote`" : $"pause {DurationText.Format(pause.Duration)}"));
            await PauseWithAnalysisAsync(pause.UntilPromoted ? null : pause.Duration).ConfigureAwait(false);
        }

        await PromoteNowAsync().ConfigureAwait(false);
    }

    /// <summary>Holds for <paramref name="duration"/> (null: until promoted), analysing every interval; a manual pause stops the clock.</summary>
    private async Task PauseWithAnalysisAsync(TimeSpan? duration)
    {
        var remaining = duration ?? TimeSpan.MaxValue;
        var interval = Deploy.Analysis.Interval;
        while (!PromoteRequested() && remaining > TimeSpan.Zero)
        {
            var paused = Paused();
            if (paused)
            {
                SetPhase(RolloutPhase.Paused);
            }

            var untilAnalysis = interval - _context.Time.GetElapsedTime(_lastAnalysisAt);
            var slice = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(1).Ticks, Math.Min(untilAnalysis.Ticks, remaining.Ticks)));
            var before = _context.Time.GetTimestamp();
            await WaitAsync(slice).ConfigureAwait(false);
            if (!paused && duration is not null)
            {
                remaining -= _context.Time.GetElapsedTime(before);
            }

            if (!Paused() && _phase == RolloutPhase.Paused)
            {
                SetPhase(RolloutPhase.Canary);
            }

            await WatchNewAsync().ConfigureAwait(false);
            if (_context.Time.GetElapsedTime(_lastAnalysisAt) >= interval)
            {
                Analyze();
            }
        }
    }

    /// <summary>Crash-looping new instances end the rollout at any point.</summary>
    private Task WatchNewAsync()
    {
        if (Host.Revisions(Service).FirstOrDefault(r => r.Revision == Revision) is { CrashLooping: > 0 } state)
        {
            throw new RolloutEndedException(RolloutEnd.RolledBack($"revision {Revision} is crash-looping ({state.CrashLooping} of {state.Desired} instances)"));
        }

        return Task.CompletedTask;
    }

    private int Ready(string revision) => Host.Revisions(Service).FirstOrDefault(r => r.Revision == revision)?.Ready ?? 0;

    /// <summary><c>2</c> or <c>25%</c> of <paramref name="replicas"/>; a share rounds up for surge, down for unavailability.</summary>
    internal static int CountOf(string value, int replicas, bool roundUp)
    {
        var text = value.Trim();
        if (text.EndsWith('%') && Percentage.TryParse(text, out var share, out _))
        {
            var exact = replicas * share.Value / 100.0;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;
    }
}
