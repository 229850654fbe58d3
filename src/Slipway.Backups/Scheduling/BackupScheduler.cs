using Slipway.Core.Scheduling;

namespace Slipway.Backups.Scheduling;

/// <summary>
/// Runs an action at each occurrence of a cron schedule, on the injected clock. A run that overlaps the next
/// occurrence delays it (runs never overlap); occurrences missed while the daemon was down are not replayed.
/// </summary>
internal sealed class BackupScheduler
{
    private readonly TimeProvider _time;

    public BackupScheduler(TimeProvider time) => _time = time;

    public async Task RunAsync(CronExpression schedule, Func<CancellationToken, Task> action, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            if (schedule.GetNextOccurrence(now, _time.LocalTimeZone) is not { } next)
            {
                return;
            }

            await Task.Delay(next - now, _time, cancellationToken).ConfigureAwait(false);
            await action(cancellationToken).ConfigureAwait(false);
        }
    }
}
