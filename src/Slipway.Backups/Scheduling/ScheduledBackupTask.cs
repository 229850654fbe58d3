using Slipway.Core.Scheduling;

namespace Slipway.Backups.Scheduling;

/// <summary>One thing the daemon does on a cron schedule: take a backup, or verify the newest one.</summary>
internal sealed record ScheduledBackupTask(string Name, CronExpression Schedule, Func<CancellationToken, Task> Action);
