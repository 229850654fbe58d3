using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Backups.Postgres;
using Slipway.Backups.Wal;
using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Primitives;
using Slipway.Server.Api.Contracts;

namespace Slipway.Cli;

/// <summary>
/// <c>slipway backup run|list|show|verify|wal</c>. Secrets (<c>secret:NAME</c>, encryption keys) are read as the
/// daemon reads them (<see cref="CliSecrets"/>): <c>SLIPWAY_SECRET_NAME</c> from the environment, else the secret store.
/// </summary>
internal static class BackupCommand
{
    public static Command Create(CliOutput output)
    {
        var command = new Command("backup", "Back up, list, inspect and verify PostgreSQL backups from the manifest's `backups:`.");
        command.Subcommands.Add(Run(output));
        command.Subcommands.Add(List(output));
        command.Subcommands.Add(Show(output));
        command.Subcommands.Add(Verify(output));
        command.Subcommands.Add(Wal(output));
        return command;
    }

    internal static Option<string> FileOption() =>
        new("--file") { Description = "The manifest.", DefaultValueFactory = _ => "slipway.yaml" };

    private static Command Run(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A backup from the manifest's `backups:`." };
        var file = FileOption();
        var format = Client.ApiOptions.CreateOutput();
        var daemon = new Option<bool>("--daemon") { Description = "Ask the running daemon (slipway up) to take it, with its secrets; it answers when the backup is done." };
        var api = new Client.ApiOptions();
        var command = new Command("run", "Take a backup now, then apply retention.") { name, file, format, daemon, api.Server, api.Token, api.StateDir };
        command.SetAction(Interruption.Cancels(output, async (parsed, ct) =>
        {
            if (parsed.GetValue(daemon))
            {
                return await RunOnDaemonAsync(output, api, parsed, parsed.GetValue(name)!, parsed.GetValue(format) == "json").ConfigureAwait(false);
            }

            if (!TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            var record = await Service().RunAsync(job!, ct).ConfigureAwait(false);
            if (record.Status != BackupStatus.Succeeded)
            {
                output.Error.WriteLine($"slipway: backup {job!.Name}: {record.Error}");
                return ExitCodes.Failed;
            }

            // Complete where it must be: a failed copy is said, not an exit code (cron would retry the whole backup).
            if (record.Copy is { Error: { } copyError } copy)
            {
                output.Error.WriteLine($"slipway: backup {job!.Name}: {record.Id} is complete, but its copy to {copy.Destination} failed (tried again after the next backup): {copyError}");
            }

            if (parsed.GetValue(format) == "json")
            {
                output.Out.WriteLine(JsonSerializer.Serialize(record, BackupJsonContext.Default.BackupRecord));
                return ExitCodes.Success;
            }

            output.Out.WriteLine($"{record.Id}: {record.Files.Sum(f => f.Bytes).ToString("N0", CultureInfo.InvariantCulture)} bytes in {record.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> RunOnDaemonAsync(CliOutput output, Client.ApiOptions api, ParseResult parsed, string name, bool json)
    {
        using var client = api.Connect(parsed);
        BackupResponse backup;
        try
        {
            backup = await client.SendAsync<BackupResponse>(HttpMethod.Post, $"api/v1/backups/{Uri.EscapeDataString(name)}/run").ConfigureAwait(false);
        }
        catch (Client.ApiException e)
        {
            output.Error.WriteLine($"slipway: {TerminalText.Escape(e.Message)}");
            return ExitCodes.Failed;
        }

        if (backup.CopyError is { } copyError)
        {
            output.Error.WriteLine($"slipway: backup {name}: {backup.Id} is complete, but its copy failed (tried again after the next backup): {TerminalText.Escape(copyError)}");
        }

        if (json)
        {
            Client.ClientVerb.WriteJson(output, backup);
        }
        else if (backup.Status == BackupStatus.Succeeded)
        {
            output.Out.WriteLine($"{backup.Id}: {backup.Bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes in {backup.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s");
        }

        if (backup.Status != BackupStatus.Succeeded)
        {
            output.Error.WriteLine($"slipway: backup {name}: {TerminalText.Escape(backup.Error ?? "failed")}");
            return ExitCodes.Failed;
        }

        return ExitCodes.Success;
    }

    private static Command List(CliOutput output)
    {
        var name = new Argument<string?>("NAME") { Description = "Only this backup.", Arity = ArgumentArity.ZeroOrOne };
        var file = FileOption();
        var format = Client.ApiOptions.CreateOutput();
        var command = new Command("list", "List the backups at each destination, oldest first.") { name, file, format };
        command.SetAction(async (parsed, ct) =>
        {
            if (!TryCatalogs(output, parsed.GetValue(file)!, parsed.GetValue(name), out var catalogs, out var exit))
            {
                return exit;
            }

            var records = new List<BackupRecord>();
            foreach (var (backup, catalog) in catalogs)
            {
                records.AddRange((await catalog.ListAsync(ct).ConfigureAwait(false)).Where(r => r.Name == backup));
            }

            if (parsed.GetValue(format) == "json")
            {
                // One array of the same records `backup show` prints.
                output.Out.WriteLine("[" + string.Join(",", records.Select(r => JsonSerializer.Serialize(r, BackupJsonContext.Default.BackupRecord))) + "]");
                return ExitCodes.Success;
            }

            foreach (var r in records)
            {
                var verified = r.Verification is null ? "unverified" : r.Verification.Succeeded ? "verified" : "verify-failed";
                var copy = r.Copy is { Error: { } copyError } ? ", copy failed: " + copyError : "";
                var state = r.Status == BackupStatus.Succeeded ? verified + copy : "failed: " + r.Error;
                output.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Id}  {r.StartedAt:yyyy-MM-dd HH:mm:ss}Z  {r.Files.Sum(f => f.Bytes),14:N0}  {state}"));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(CliOutput output)
    {
        var id = new Argument<string>("ID") { Description = "A backup id from `slipway backup list`." };
        var file = FileOption();
        var command = new Command("show", "Print a backup's record (JSON).") { id, file };
        command.SetAction(async (parsed, ct) =>
        {
            if (!TryCatalogs(output, parsed.GetValue(file)!, null, out var catalogs, out var exit))
            {
                return exit;
            }

            var wanted = parsed.GetValue(id)!;
            BackupRecord? record = null;
            foreach (var (_, catalog) in catalogs)
            {
                record ??= (await catalog.ListAsync(ct).ConfigureAwait(false)).FirstOrDefault(r => r.Id == wanted);
            }

            if (record is null)
            {
                output.Error.WriteLine($"slipway: there is no backup {wanted}");
                return ExitCodes.Failed;
            }

            output.Out.WriteLine(JsonSerializer.Serialize(record, BackupJsonContext.Default.BackupRecord));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Verify(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A backup from the manifest's `backups:`." };
        var id = new Argument<string?>("ID") { Description = "The backup to verify; the newest successful one when left out.", Arity = ArgumentArity.ZeroOrOne };
        var file = FileOption();
        var format = Client.ApiOptions.CreateOutput();
        var command = new Command("verify", "Check a backup's checksums, restore it into a scratch cluster and run the verify queries.") { name, id, file, format };
        command.SetAction(Interruption.Cancels(output, async (parsed, ct) =>
        {
            if (!TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            try
            {
                var (record, verification) = await Service().VerifyAsync(job!, parsed.GetValue(id), ct).ConfigureAwait(false);
                if (parsed.GetValue(format) == "json")
                {
                    output.Out.WriteLine(JsonSerializer.Serialize(record with { Verification = verification }, BackupJsonContext.Default.BackupRecord));
                    return verification.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
                }

                if (!verification.Succeeded)
                {
                    output.Error.WriteLine($"slipway: backup {job!.Name}: {record.Id} failed verification: {verification.Error}");
                    return ExitCodes.Failed;
                }

                output.Out.WriteLine($"{record.Id}: verified (checksums, restore, {verification.Queries.Count} queries)");
                return ExitCodes.Success;
            }
            catch (BackupException e)
            {
                output.Error.WriteLine($"slipway: backup {job!.Name}: {e.Message}");
                return ExitCodes.Failed;
            }
        }));
        return command;
    }

    private static Command Wal(CliOutput output)
    {
        var name = new Argument<string>("NAME") { Description = "A physical backup from the manifest's `backups:`." };
        var file = FileOption();
        var command = new Command("wal", "Archive WAL continuously with pg_receivewal (kind: physical), in the foreground until interrupted.") { name, file };
        command.SetAction(Interruption.Cancels(output, async (parsed, ct) =>
        {
            if (!TryJob(output, parsed.GetValue(file)!, parsed.GetValue(name)!, out var job, out var exit))
            {
                return exit;
            }

            if (job!.Kind != BackupKind.Physical)
            {
                output.Error.WriteLine($"slipway: backup {job.Name}: WAL archiving needs `kind: physical`");
                return ExitCodes.Usage;
            }

            using var loggers = LoggerFactory.Create(builder => builder.AddSimpleConsole(o => o.SingleLine = true));
            var receiver = new WalReceiver(PostgresBinaries.Locate(), job.Source, job.WalArchive, TimeProvider.System, loggers.CreateLogger("Slipway.Backups"));
            output.Out.WriteLine($"archiving the WAL of {job.Name} into {job.WalArchive.Directory} (slot {job.WalArchive.SlotName}); interrupt to stop");
            await receiver.RunAsync(ct).ConfigureAwait(false);
            return ExitCodes.Success;
        }));
        return command;
    }

    internal static BackupService Service() =>
        new(PostgresBinaries.Locate(), TimeProvider.System, NullLogger.Instance);

    /// <summary>Loads the manifest and resolves one backup; on failure prints why and sets the exit code (2: usage, 1: unresolvable reference).</summary>
    internal static bool TryJob(CliOutput output, string file, string name, out BackupJob? job, out int exit)
    {
        job = null;
        if (!TryJobs(output, file, name, out var jobs, out exit))
        {
            return false;
        }

        job = jobs.Single();
        return true;
    }

    private static bool TryJobs(CliOutput output, string file, string? name, out List<BackupJob> jobs, out int exit)
    {
        var resolved = new List<BackupJob>();
        var ok = TryEach(output, file, name, (backupName, spec, directory, secrets) =>
            resolved.Add(BackupJob.FromSpec(backupName, spec, directory, EnvironmentVariables.Get, secrets)), out exit);
        jobs = resolved;
        return ok;
    }

    /// <summary>
    /// The catalogs at each backup's destination, without resolving its source: listing reads records only, so
    /// an unset DATABASE_URL (a laptop, a restore host) must not stand in the way.
    /// </summary>
    private static bool TryCatalogs(CliOutput output, string file, string? name, out List<(string Name, BackupCatalog Catalog)> catalogs, out int exit)
    {
        var opened = new List<(string Name, BackupCatalog Catalog)>();
        var ok = TryEach(output, file, name, (backupName, spec, directory, secrets) =>
            opened.Add((backupName, new BackupCatalog(BackupDestinations.Open(spec, directory, EnvironmentVariables.Get, secrets)))), out exit);
        catalogs = opened;
        return ok;
    }

    /// <summary>Loads the manifest and hands each backup (or the one named) to <paramref name="each"/>; a BackupException is printed with the backup's name.</summary>
    private static bool TryEach(CliOutput output, string file, string? name, Action<string, BackupSpec, string, Func<string, string?>> each, out int exit)
    {
        exit = ExitCodes.Usage;
        if (CliManifest.Load(output, file) is not { } loaded)
        {
            return false;
        }

        var manifest = loaded.Manifest!;
        if (name is not null && !manifest.Backups.ContainsKey(name))
        {
            var known = manifest.Backups.Count == 0 ? "it has none" : "it has " + string.Join(", ", manifest.Backups.Keys);
            output.Error.WriteLine($"slipway: backup {name} is not in {file}; {known}");
            return false;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".";
        var secrets = CliSecrets.For(file);
        foreach (var (backupName, spec) in manifest.Backups.Where(b => name is null || b.Key == name))
        {
            try
            {
                each(backupName, spec, directory, secrets);
            }
            catch (BackupException e)
            {
                output.Error.WriteLine($"slipway: backup {backupName}: {e.Message}");
                exit = ExitCodes.Failed;
                return false;
            }
        }

        return true;
    }
}
