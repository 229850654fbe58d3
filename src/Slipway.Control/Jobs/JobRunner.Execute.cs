using System.Globalization;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Control.Jobs;

/// <summary>One run from start to history: the process, its timeout, its end recorded, old runs pruned.</summary>
internal sealed partial class JobRunner
{
    private async Task RunAsync(JobRun run, IReadOnlyList<JobRun> replaced)
    {
        var result = new RunResult(null, JobOutcome.Failed, "the run failed inside Slipway", "");
        try
        {
            foreach (var old in replaced)
            {
                old.Cancel($"replaced by run {run.Id.ToString(CultureInfo.InvariantCulture)} (concurrency: replace)");
            }

            await Task.WhenAll(replaced.Select(r => r.Completion.Task)).ConfigureAwait(false);
            result = await ExecuteAsync(run).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug here must not leave the run recorded as running forever.
            result = result with { Message = $"the run failed inside Slipway ({e.GetType().Name}: {e.Message})" };
        }
        finally
        {
            Finish(run, result);
        }
    }

    private async Task<RunResult> ExecuteAsync(JobRun run)
    {
        var logPath = JobProcess.LogPath(_context.StateDirectory, run.Job, run.Id);
        if (!JobProcess.TryBuild(_context, run.Job, run.Spec, run.Id, logPath, out var spec, out var redactor, out var error))
        {
            return new RunResult(null, JobOutcome.StartFailed, error!, "");
        }

        RunningProcess process;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
            process = _context.Runner.Start(spec!);
        }
        catch (Exception e) when (e is ProcessStartException or IOException or UnauthorizedAccessException)
        {
            return new RunResult(null, JobOutcome.StartFailed, e.Message, "");
        }

        _context.Store.SetJobRunProcess(run.Id, process.Pid, process.StartTime, logPath);
        var started = _context.Time.GetTimestamp();
        using var timeout = new CancellationTokenSource(run.Spec.Timeout, _context.Time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, run.Cancelled);
        JobOutcome outcome;
        string message;
        int? exitCode = null;
        try
        {
            var exit = await process.WaitForExitAsync(either.Token).ConfigureAwait(false);
            exitCode = exit.ExitCode;
            outcome = exit.IsSuccess ? JobOutcome.Succeeded : JobOutcome.Failed;
            message = $"{exit} after {DurationText.Format(Elapsed(started))}";
            if (process.GroupAlive())
            {
                // What it started and left behind goes with it.
                await process.TerminateGroupAsync(run.Spec.GracePeriod).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            var killed = await process.TerminateGroupAsync(run.Spec.GracePeriod).ConfigureAwait(false);
            exitCode = process.Exit?.ExitCode;
            var how = killed ? $"SIGTERM, then SIGKILL after {DurationText.Format(run.Spec.GracePeriod)}" : "SIGTERM";
            (outcome, message) = run.CancelReason is { } reason
                ? (JobOutcome.Cancelled, $"stopped with {how}: {reason}")
                : (JobOutcome.TimedOut, $"did not finish within its timeout ({DurationText.Format(run.Spec.Timeout)}); stopped with {how}");
        }

        var tail = redactor.Redact(JobLogTail.Read(logPath, _context.TailLines));
        if (outcome is not JobOutcome.Succeeded && tail.Split('\n').LastOrDefault(l => l.Trim().Length > 0) is { } said)
        {
            message = $"{message}: {said.Trim()}";
        }

        return new RunResult(exitCode, outcome, message, tail);
    }

    private void Finish(JobRun run, RunResult result)
    {
        var ended = _context.Time.GetUtcNow();
        var record = run.Record with { Ended = ended, ExitCode = result.ExitCode, Outcome = result.Outcome, Message = result.Message, LogTail = result.Tail };
        try
        {
            _context.Store.FinishJobRun(run.Id, ended, result.ExitCode, result.Outcome, result.Message, result.Tail);
            foreach (var path in _context.Store.PruneJobRuns(run.Job))
            {
                File.Delete(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Whatever the store says, the run must end here: StopAsync waits for its completion.
            _context.Journal.Record(run.Job, null, EventKinds.Error, $"run {run.Id.ToString(CultureInfo.InvariantCulture)} could not be recorded: {e.Message}");
        }

        lock (_lock)
        {
            _running.Remove(run.Id);
            var state = State(run.Job);
            _states[run.Job] = state with
            {
                LastFailed = record.Failed || (result.Outcome == JobOutcome.Cancelled && state.LastFailed),
                LastSuccess = result.Outcome == JobOutcome.Succeeded ? ended : state.LastSuccess,
                Running = _running.Values.Count(r => r.Job == run.Job),
            };
        }

        var kind = result.Outcome switch
        {
            JobOutcome.Succeeded => EventKinds.JobSucceeded,
            JobOutcome.Cancelled => EventKinds.JobCancelled,
            _ => EventKinds.JobFailed,
        };
        _context.Journal.Record(run.Job, null, kind, $"run {run.Id.ToString(CultureInfo.InvariantCulture)} {ScalarParsers.EnumName(result.Outcome)}: {result.Message}");
        run.Completion.TrySetResult(record);
        run.Dispose();
    }

    /// <summary>
    /// Runs a daemon that died left recorded as running: a process still alive as the same process is stopped (this
    /// daemon cannot follow it: it is not its child), and each is recorded as interrupted.
    /// </summary>
    private async Task SettleLeftoversAsync()
    {
        foreach (var run in _context.Store.UnfinishedJobRuns())
        {
            var grace = _context.Manifest.Current.Jobs.GetValueOrDefault(run.Job)?.GracePeriod ?? TimeSpan.FromSeconds(10);
            var message = "the daemon stopped while it ran";
            if (run.Pid is { } pid && run.ProcessStartTime is { } startTime && _context.Runner.TryAdopt(pid, startTime) is { } process)
            {
                await process.TerminateGroupAsync(grace).ConfigureAwait(false);
                message += $"; this daemon stopped what was left of it (pid {pid.ToString(CultureInfo.InvariantCulture)})";
            }

            var tail = run.LogPath is { } path ? JobLogTail.Read(path, _context.TailLines) : "";
            _context.Store.FinishJobRun(run.Id, _context.Time.GetUtcNow(), null, JobOutcome.Interrupted, message, tail);
            _context.Journal.Record(run.Job, null, EventKinds.JobFailed, $"run {run.Id.ToString(CultureInfo.InvariantCulture)} interrupted: {message}");
        }
    }

    private TimeSpan Elapsed(long started) => _context.Time.GetElapsedTime(started);

    private sealed record RunResult(int? ExitCode, JobOutcome Outcome, string Message, string Tail);
}
