using System.CommandLine;
using System.Globalization;
using Slipway.Backups;
using Slipway.Backups.Postgres;
using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway restore NAME [--backup ID] --target URL [--force]</c>: a logical restore with pg_restore.
/// <c>slipway restore NAME [--to-time T] --target DIR [--force]</c>: a physical one, into a data directory set to
/// replay the WAL archive to T (or to its end).
/// </summary>
internal static class RestoreCommand
{
    public static Command Create(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A backup from the manifest's `backups:`." };
        var backup = new Option<string?>("--backup") { Description = "The backup id; the newest successful one when left out." };
        var target = new Option<string>("--target")
        {
            Description = "Logical: the database to restore into (postgresql://user@host:port/db, or env:NAME to keep a password off the command line). Physical: the data directory to create.",
            Required = true,
        };
        var toTime = new Option<string?>("--to-time")
        {
            Description = "Physical only: replay WAL up to this moment, e.g. '2026-11-21 10:15:00+00' (with its UTC offset). Default: all the WAL there is.",
        };
        var force = new Option<bool>("--force") { Description = "Restore into a database that already has tables, or a data directory that is not empty, replacing its contents." };
        var file = BackupCommand.FileOption();
        var format = Client.ApiOptions.CreateOutput();
        var command = new Command("restore", "Restore a backup into a database. Refuses a non-empty database without --force.") { name, backup, target, toTime, force, file, format };
        command.SetAction(Interruption.Cancels(output, async (parsed, ct) =>
        {
            if (!BackupCommand.TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            if (job!.Kind == BackupKind.Physical)
            {
                return await RestorePhysicalAsync(output, job, parsed.GetValue(backup), parsed.GetValue(toTime), parsed.GetValue(target)!, parsed.GetValue(force),
                    parsed.GetValue(format) == "json", ct).ConfigureAwait(false);
            }

            if (parsed.GetValue(toTime) is not null)
            {
                output.Error.WriteLine($"slipway: restore {job.Name}: --to-time needs a physical backup (kind: physical); a logical one restores as it was dumped");
                return ExitCodes.Usage;
            }

            if (!ValueReference.TryParse(parsed.GetValue(target)!, out var reference, out var error))
            {
                output.Error.WriteLine($"slipway: --target {error}");
                return ExitCodes.Usage;
            }

            try
            {
                var url = reference.Resolve(EnvironmentVariables.Get, CliSecrets.For(parsed.GetValue(file)!))
                    ?? throw new BackupException($"{reference} is not set, so there is no target URL");
                var targetSource = PostgresSource.Parse(url);
                var record = await BackupCommand.Service().RestoreAsync(job!, parsed.GetValue(backup), targetSource, parsed.GetValue(force), ct).ConfigureAwait(false);
                output.Out.WriteLine(parsed.GetValue(format) == "json"
                    ? System.Text.Json.JsonSerializer.Serialize(new { backup = record.Id, restoredInto = targetSource.Describe() })
                    : $"{record.Id}: restored into {targetSource.Describe()}");
                return ExitCodes.Success;
            }
            catch (BackupException e)
            {
                output.Error.WriteLine($"slipway: restore {job!.Name}: {e.Message}");
                return ExitCodes.Failed;
            }
        }));
        return command;
    }

    private static async Task<int> RestorePhysicalAsync(CliOutput output, BackupJob job, string? id, string? toTime, string target, bool force, bool json, CancellationToken ct)
    {
        DateTimeOffset? time = null;
        if (toTime is not null)
        {
            // An offset is required: a point in time without one means a different moment on every machine.
            if (ParseTime(toTime) is not { } parsedTime)
            {
                output.Error.WriteLine($"slipway: --to-time '{toTime}' is not a time with a UTC offset, like '2026-11-21 10:15:00+00'");
                return ExitCodes.Usage;
            }

            time = parsedTime;
        }

        try
        {
            var directory = Path.GetFullPath(target);
            var record = await BackupCommand.Service().RestoreToDirectoryAsync(job, id, time, directory, force, ct).ConfigureAwait(false);
            var until = time is { } t ? "replays WAL to " + t.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.ffffff'+00'", CultureInfo.InvariantCulture) : "replays all archived WAL";
            if (json)
            {
                output.Out.WriteLine(System.Text.Json.JsonSerializer.Serialize(new { backup = record.Id, restoredInto = directory, toTime = time }));
                return ExitCodes.Success;
            }

            output.Out.WriteLine($"{record.Id}: restored into {directory}; on start it {until}, then opens for writes");
            output.Out.WriteLine($"start it with: pg_ctl -D {directory} start   (as the postgres user; check port and settings in postgresql.conf first)");
            return ExitCodes.Success;
        }
        catch (BackupException e)
        {
            output.Error.WriteLine($"slipway: restore {job.Name}: {e.Message}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>PostgreSQL's spelling (<c>2026-11-21 10:15:00+00</c>) or ISO 8601; null without an explicit offset or Z.</summary>
    internal static DateTimeOffset? ParseTime(string text)
    {
        var trimmed = text.Trim();
        if (System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"[+-]\d{2}$"))
        {
            trimmed += ":00";
        }

        var hasOffset = trimmed.EndsWith('Z') || System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"[+-]\d{2}:?\d{2}$");
        return hasOffset && DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) ? time : null;
    }
}
