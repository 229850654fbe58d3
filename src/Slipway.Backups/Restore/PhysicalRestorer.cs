using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Crypto;
using Slipway.Backups.Destinations;
using Slipway.Backups.Physical;
using Slipway.Backups.Postgres;
using Slipway.Backups.Wal;

namespace Slipway.Backups.Restore;

/// <summary>
/// Turns a physical backup into a data directory that, when started, replays the WAL archive up to a point in
/// time (or to its end) and then opens for writes: the base tar unpacked, <c>restore_command</c> pointing at the
/// archive, the recovery target, and <c>recovery.signal</c>.
/// </summary>
/// <remarks>
/// Slipway does not start the server in <c>slipway restore</c>: the operator's directory gets the source's own
/// postgresql.conf (port, memory, extensions), which only they know how to run. Drills and verification start
/// it in a <see cref="ScratchCluster"/>. A target past the end of the archive makes the server refuse to finish
/// recovery ("recovery ended before configured recovery target was reached") rather than open short of it.
/// </remarks>
internal sealed class PhysicalRestorer
{
    /// <summary>Where WAL fetched from a remote archive lands in the restored data directory; delete it once recovery has ended.</summary>
    public const string FetchedWalDirectory = "slipway_wal";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public PhysicalRestorer(TimeProvider time, ILogger logger)
    {
        _time = time;
        _logger = logger;
    }

    /// <param name="toTime">The recovery target; null replays all the WAL there is.</param>
    /// <param name="force">Empty a non-empty target directory first (never one a server is running in).</param>
    /// <exception cref="BackupException">The target is not empty (without force), checksums or decryption failed, or tar failed.</exception>
    public async Task RestoreAsync(
        IBackupDestination destination, BackupRecord record, EncryptionKey? key, WalArchive archive, string dataDirectory, DateTimeOffset? toTime, bool force, CancellationToken cancellationToken)
    {
        var startTimestamp = _time.GetTimestamp();
        if (record.Physical is null)
        {
            throw new BackupException($"backup {record.Id} is a {record.Kind} backup; a data directory restore needs a physical one");
        }

        // A remote archive comes down into the data directory itself: the restored server reads it as its own files,
        // and --force or a scratch cluster's disposal clears it with the rest.
        var walDirectory = archive.Remote is null ? archive.Directory : Path.Combine(Path.GetFullPath(dataDirectory), FetchedWalDirectory);
        var restoreCommand = WalArchive.RestoreCommand(walDirectory, record.Physical.WalSegmentSize);
        PrepareTarget(dataDirectory, force);
        await FileChecksum.VerifyAsync(destination, record, cancellationToken).ConfigureAwait(false);
        await ScratchCluster.ChownAsync(dataDirectory, cancellationToken).ConfigureAwait(false);

        var file = record.Files.Single();
        var tar = await PostgresTool.RunAsync(
            new ToolInvocation("tar", ["-x", "-f", "-", "-C", dataDirectory]) { RunAs = ScratchCluster.OsUser },
            stdin: async (input, ct) =>
            {
                await using var stream = PhysicalFormat.Reader(await destination.OpenReadAsync(file.Name, ct).ConfigureAwait(false), file.Name, key, record.Encryption?.KeySecret);
                await stream.CopyToAsync(input, 1 << 16, ct).ConfigureAwait(false);
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!tar.IsSuccess)
        {
            throw new BackupException($"unpacking {file.Name} into {dataDirectory} failed: {tar.LastErrorLine}");
        }

        if (archive.Remote is { } remote)
        {
            await remote.FetchAsync(walDirectory, record.Physical.StartWalFile, cancellationToken).ConfigureAwait(false);
        }

        await WriteRecoveryConfigurationAsync(dataDirectory, record, restoreCommand, toTime, cancellationToken).ConfigureAwait(false);
        await ScratchCluster.ChownAsync(dataDirectory, cancellationToken).ConfigureAwait(false);
        BackupLog.Restored(_logger, record.Id, dataDirectory, _time.GetElapsedTime(startTimestamp));
    }

    /// <summary>The settings appended to postgresql.auto.conf (which wins over postgresql.conf).</summary>
    internal static string RecoverySettings(BackupRecord record, string restoreCommand, DateTimeOffset? toTime)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"\n# Added by slipway restore of {record.Id}\n");
        text.Append(CultureInfo.InvariantCulture, $"restore_command = '{restoreCommand.Replace("'", "''", StringComparison.Ordinal)}'\n");
        if (toTime is { } time)
        {
            text.Append(CultureInfo.InvariantCulture, $"recovery_target_time = '{time.ToUniversalTime():yyyy-MM-dd HH:mm:ss.ffffff}+00'\n");
        }

        // Open for writes at the target instead of pausing there (the default): a restore is for using.
        text.Append("recovery_target_action = 'promote'\n");
        text.Append("recovery_target_timeline = 'latest'\n");

        // The copy must not ship WAL anywhere or follow the source: it is a new, independent database.
        text.Append("archive_mode = 'off'\n");
        text.Append("primary_conninfo = ''\n");
        return text.ToString();
    }

    private static async Task WriteRecoveryConfigurationAsync(string dataDirectory, BackupRecord record, string restoreCommand, DateTimeOffset? toTime, CancellationToken cancellationToken)
    {
        // Debian keeps postgresql.conf in /etc, outside the data directory pg_basebackup copies; the server needs one.
        var conf = Path.Combine(dataDirectory, "postgresql.conf");
        if (!File.Exists(conf))
        {
            await File.WriteAllTextAsync(conf, "# The source kept its configuration outside the data directory; add settings here.\n", cancellationToken).ConfigureAwait(false);
        }

        var hba = Path.Combine(dataDirectory, "pg_hba.conf");
        if (!File.Exists(hba))
        {
            await File.WriteAllTextAsync(hba, "local all postgres peer\n", cancellationToken).ConfigureAwait(false);
        }

        await File.AppendAllTextAsync(Path.Combine(dataDirectory, "postgresql.auto.conf"), RecoverySettings(record, restoreCommand, toTime), cancellationToken).ConfigureAwait(false);
        File.Delete(Path.Combine(dataDirectory, "standby.signal"));
        await File.WriteAllTextAsync(Path.Combine(dataDirectory, "recovery.signal"), "", cancellationToken).ConfigureAwait(false);
    }

    private static void PrepareTarget(string dataDirectory, bool force)
    {
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            if (!force)
            {
                throw new BackupException($"the target directory {dataDirectory} is not empty; use --force to replace its contents");
            }

            if (File.Exists(Path.Combine(dataDirectory, "postmaster.pid")))
            {
                throw new BackupException($"a PostgreSQL server may be running in {dataDirectory} (it has postmaster.pid); stop it first");
            }

            foreach (var entry in new DirectoryInfo(dataDirectory).EnumerateFileSystemInfos())
            {
                if (entry is DirectoryInfo directory)
                {
                    directory.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
        }

        Directory.CreateDirectory(dataDirectory);
        if (!OperatingSystem.IsWindows())
        {
            // The server refuses a data directory others can read.
            File.SetUnixFileMode(dataDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
