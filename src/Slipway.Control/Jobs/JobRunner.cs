using System.Globalization;
using Slipway.Control.Events;
using Slipway.Control.Runtime;
using Slipway.Control.State;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Jobs;

/// <summary>
/// Runs the manifest's <c>jobs:</c>: each start (by its schedule or by hand) decided against the job's
/// <c>concurrency</c>, run through the one process runner within its <c>timeout</c>, and kept in the state store's
/// history with its end, exit code and the end of its output. Every start and end is an event under the job's name;
/// a failed run is a <c>job-failed</c> event and sets <c>job_failed</c> for alerts.
/// </summary>
/// <remarks>
/// Runs do not outlive the daemon: stopping it stops them (recorded as cancelled), and a run a daemon that died left
/// behind is stopped by the next one (recorded as interrupted). Occurrences missed while the daemon was down are not
/// made up, as with cron.
/// </remarks>
internal sealed partial class JobRunner : IAsyncDisposable
{
    private readonly JobContext _context;
    private readonly Lock _lock = new();
    private readonly Dictionary<long, JobRun> _running = [];
    private readonly Dictionary<string, JobState> _states = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private Task _scheduling = Task.CompletedTask;
    private bool _stopped;

    public JobRunner(JobContext context) => _context = context;

    /// <summary>Settles what a previous daemon left running, then starts every job's schedule.</summary>
    public async Task StartAsync()
    {
        await SettleLeftoversAsync().ConfigureAwait(false);
        foreach (var name in _context.Manifest.Current.Jobs.Keys)
        {
            var last = _context.Store.JobRuns(name, JobRunsForState).Where(r => r.Outcome != JobOutcome.Running).ToList();
            lock (_lock)
            {
                _states[name] = new JobState(name, last.FirstOrDefault()?.Failed ?? false, last.FirstOrDefault(r => r.Outcome == JobOutcome.Succeeded)?.Ended, 0);
            }
        }

        var scheduler = new JobScheduler(_context.Time, name => Start(name, JobTrigger.Schedule, null));
        _scheduling = scheduler.RunAsync(_context.Manifest.Current.Jobs, _stopping.Token);
    }

    /// <summary>Starts a run of <paramref name="job"/> now, unless its concurrency forbids it while another runs.</summary>
    /// <param name="by">Who asked, for a manual run.</param>
    public JobStart Start(string job, JobTrigger trigger, string? by)
    {
        if (!_context.Manifest.Current.Jobs.TryGetValue(job, out var spec))
        {
            return JobStart.Refused($"there is no job named {job} in this app");
        }

        JobRun run;
        lock (_lock)
        {
            if (_stopped)
            {
                return JobStart.Refused("the daemon is stopping");
            }

            var running = _running.Values.Where(r => r.Job == job).OrderBy(r => r.Id).ToList();
            if (running.Count > 0 && spec.Concurrency == JobConcurrency.Forbid)
            {
                var why = $"job {job} is still running (run {running[0].Id.ToString(CultureInfo.InvariantCulture)} since {running[0].Record.Started.UtcDateTime:HH:mm:ss} UTC) and its concurrency is forbid";
                if (trigger == JobTrigger.Schedule)
                {
                    _context.Journal.Record(job, null, EventKinds.JobSkipped, $"scheduled run skipped: {why}");
                }

                return JobStart.Refused(why);
            }

            var record = _context.Store.StartJobRun(job, trigger, by, _context.Time.GetUtcNow());
            run = new JobRun(record, spec);
            _running[record.Id] = run;
            var replaced = spec.Concurrency == JobConcurrency.Replace ? running : [];
            _states[job] = State(job) with { Running = _running.Values.Count(r => r.Job == job) };
            _ = Task.Run(() => RunAsync(run, replaced));
        }

        _context.Journal.Record(job, null, EventKinds.JobStarted,
            $"run {run.Id.ToString(CultureInfo.InvariantCulture)} started ({ScalarParsers.EnumName(trigger)}{(by is null ? "" : $" by {by}")}): {spec.Run}");
        return JobStart.Started(run.Record);
    }

    /// <summary>Runs going now, oldest first.</summary>
    public IReadOnlyList<JobRunRecord> Running()
    {
        lock (_lock)
        {
            return [.. _running.Values.OrderBy(r => r.Id).Select(r => r.Record)];
        }
    }

    /// <summary>Completes with the run's final record; the stored one when it is not running here.</summary>
    public Task<JobRunRecord?> WaitAsync(long id)
    {
        lock (_lock)
        {
            if (_running.TryGetValue(id, out var run))
            {
                return run.Completion.Task.ContinueWith(t => (JobRunRecord?)t.Result, TaskScheduler.Default);
            }
        }

        return Task.FromResult(_context.Store.JobRun(id));
    }

    /// <summary>Every job of the manifest: whether its newest finished run failed, its last success, runs going.</summary>
    public IReadOnlyList<JobState> States()
    {
        lock (_lock)
        {
            return [.. _context.Manifest.Current.Jobs.Keys.Order(StringComparer.Ordinal).Select(State)];
        }
    }

    /// <summary>Ends the schedules, stops every run going (recorded as cancelled) and waits for them.</summary>
    public async Task StopAsync()
    {
        List<JobRun> running;
        lock (_lock)
        {
            _stopped = true;
            running = [.. _running.Values];
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _scheduling.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        foreach (var run in running)
        {
            run.Cancel("the daemon stopped");
        }

        await Task.WhenAll(running.Select(r => r.Completion.Task)).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await StopAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    /// <summary>How many recent runs are read for a job's state at start.</summary>
    private const int JobRunsForState = 20;

    /// <remarks>Called under <see cref="_lock"/>.</remarks>
    private JobState State(string job) => _states.GetValueOrDefault(job) ?? new JobState(job, false, null, 0);
}
