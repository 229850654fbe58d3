using System.CommandLine;
using Slipway.Control.Backups;
using Slipway.Core.Primitives;

namespace Slipway.Cli;

/// <summary><c>slipway restore NAME [--backup ID] --target URL [--force]</c>: a logical restore with pg_restore.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A backup from the manifest's `backups:`." };
        var backup = new Option<string?>("--backup") { Description = "The backup id; the newest successful one when left out." };
        var target = new Option<string>("--target")
        {
            Description = "The database to restore into: postgresql://user@host:port/db, or env:NAME to keep a password off the command line.",
            Required = true,
        };
        var force = new Option<bool>("--force") { Description = "Restore into a database that already has tables, replacing what the backup contains." };
        var file = BackupCommand.FileOption();
        var command = new Command("restore", "Restore a backup into a database. Refuses a non-empty database without --force.") { name, backup, target, force, file };
        command.SetAction(async (parsed, ct) =>
        {
            if (!BackupCommand.TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            if (!ValueReference.TryParse(parsed.GetValue(target)!, out var reference, out var error))
            {
                output.Error.WriteLine($"slipway: --target {error}");
                return ExitCodes.Usage;
            }

            try
            {
                var url = reference.Resolve(Environment.GetEnvironmentVariable, BackupCommand.Secret)
                    ?? throw new BackupException($"{reference} is not set, so there is no target URL");
                var targetSource = PostgresSource.Parse(url);
                var record = await BackupCommand.Service().RestoreAsync(job!, parsed.GetValue(backup), targetSource, parsed.GetValue(force), ct).ConfigureAwait(false);
                output.Out.WriteLine($"{record.Id}: restored into {targetSource.Describe()}");
                return ExitCodes.Success;
            }
            catch (BackupException e)
            {
                output.Error.WriteLine($"slipway: restore {job!.Name}: {e.Message}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }
}
