using Microsoft.Extensions.Logging;

namespace Slipway.Backups.Scheduling;

/// <summary>
/// Runs every scheduled backup task side by side until cancelled. A run that fails is reported and the
/// schedule goes on: one bad night must not stop the next night's backup.
/// </summary>
internal sealed class BackupSchedules
{
    private readonly IReadOnlyList<ScheduledBackupTask> _tasks;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<ScheduledBackupTask, Exception> _failed;

    public BackupSchedules(IReadOnlyList<ScheduledBackupTask> tasks, TimeProvider time, ILogger logger, Action<ScheduledBackupTask, Exception> failed)
    {
        _tasks = tasks;
        _time = time;
        _logger = logger;
        _failed = failed;
    }

    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(_tasks.Select(task => RunOneAsync(task, cancellationToken)));

    private async Task RunOneAsync(ScheduledBackupTask task, CancellationToken cancellationToken)
    {
        var scheduler = new BackupScheduler(_time);
        try
        {
            await scheduler.RunAsync(task.Schedule, async token =>
            {
                try
                {
                    await task.Action(token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !token.IsCancellationRequested)
                {
                    BackupLog.ScheduledRunFailed(_logger, task.Name, e.Message);
                    _failed(task, e);
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }
}
