using Slipway.Control.Events;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Supervision;

/// <summary>Leaving: out of routing first, in-flight requests finish (bounded), then SIGTERM, then SIGKILL.</summary>
internal sealed partial class InstanceController
{
    private async Task DrainAndStopAsync(RunningProcess process, string reason)
    {
        SetPhase(InstancePhase.Stopping);
        Record(EventKinds.Stopping, reason);
        SetReady(false, null); // republishes the table without this endpoint before anything else
        if (!process.HasExited)
        {
            var drainStarted = _context.Time.GetTimestamp();
            var inFlight = _context.Load.InFlight(Id);
            while (inFlight > 0 && _context.Time.GetElapsedTime(drainStarted) < Spec.Stop.DrainTimeout)
            {
                await Task.Delay(_context.Options.DrainPollInterval, _context.Time, CancellationToken.None).ConfigureAwait(false);
                inFlight = _context.Load.InFlight(Id);
            }

            Record(EventKinds.Drained, inFlight == 0
                ? "no requests in flight"
                : $"drain timeout ({DurationText.Format(Spec.Stop.DrainTimeout)}) reached with {inFlight} requests in flight");
        }

        var signal = Spec.Stop.SignalNumber;
        var killed = await process.TerminateGroupAsync(Spec.Stop.GracePeriod, CancellationToken.None, signal).ConfigureAwait(false);
        Record(killed ? EventKinds.Killed : EventKinds.Stopped, killed
            ? $"did not stop within the grace period ({DurationText.Format(Spec.Stop.GracePeriod)}) after {Signals.Name(signal)}; sent SIGKILL to its process group"
            : $"pid {process.Pid} stopped after {Signals.Name(signal)}");
        await ReleaseCgroupAsync().ConfigureAwait(false);
        _context.Logs.Detach(Id);
        ForgetRecord();
        SetPhase(InstancePhase.Stopped);
    }
}
