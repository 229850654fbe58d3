using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Logical;
using Slipway.Backups.Postgres;
using Slipway.Backups.Wal;

namespace Slipway.Backups.Physical;

/// <summary>
/// Takes one physical backup: <c>pg_basebackup -D - -Ft -X fetch</c>, a single tar on stdout, streamed through
/// compression and encryption into the destination and hashed on the way, like a logical dump.
/// </summary>
/// <remarks>
/// <para>
/// Tar to stdout rather than a directory: nothing is ever written unencrypted or uncompressed on this machine,
/// and the file is hashed as it streams. Stdout allows one tar only, which rules out <c>-X stream</c> (a second
/// tar for pg_wal) and clusters with extra tablespaces (refused with pg_basebackup's own message).
/// </para>
/// <para>
/// <c>-X fetch</c> rather than <c>-X none</c>: the WAL from the backup's start to its stop goes into the tar,
/// so the backup alone restores to a consistent database even if the WAL archive is damaged; the archive is
/// needed only to roll forward past the backup. The WAL is held for fetch by pg_receivewal's replication
/// slot (<see cref="WalReceiver"/>); without one, <c>wal_keep_size</c> must cover the backup's duration.
/// </para>
/// <para>
/// <c>--checkpoint=fast</c>: a spread checkpoint can keep an operator waiting up to <c>checkpoint_timeout</c>
/// before a single byte is copied; the fast one costs a short burst of I/O.
/// </para>
/// </remarks>
internal sealed partial class PhysicalBackupRunner(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    /// <summary>Runs the backup and returns its record (saved at the destination), failed or not. Throws only on cancellation.</summary>
    public async Task<BackupRecord> RunAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var attempt = await BackupAttempt.BeginAsync(job, "physical", time, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var pgBasebackup = binaries.Tool("pg_basebackup");
            var version = await BackupRunner.ToolVersionAsync(pgBasebackup, cancellationToken).ConfigureAwait(false);
            attempt.Record = attempt.Record with { Tools = new Dictionary<string, string> { ["pg_basebackup"] = version } };
            var settings = await Psql.QueryAsync(
                binaries, job.Source, "select current_setting('server_version') || '|' || setting from pg_settings where name = 'wal_segment_size'",
                cancellationToken).ConfigureAwait(false);
            var parts = settings.Split('|');
            attempt.Record = attempt.Record with { ServerVersion = parts[0] };
            var segmentSize = long.Parse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture);

            var fileName = PhysicalFormat.FileName(attempt.Id, job.Compression, job.Key is not null);
            List<string> arguments = ["-D", "-", "-Ft", "-X", "fetch", "--checkpoint=fast", "-v", "-w", "-l", "slipway " + attempt.Id];
            await using var upload = await job.Destination.CreateAsync(fileName, cancellationToken).ConfigureAwait(false);
            var streamed = await StreamedBackup.RunAsync(
                new ToolInvocation(pgBasebackup, arguments) { Environment = job.Source.ToEnvironment() },
                upload, fileName, file => PhysicalFormat.Writer(file, job.Compression, job.Key), cancellationToken).ConfigureAwait(false);
            var result = streamed.Result;
            attempt.Stderr = result.Stderr;
            if (!result.IsSuccess)
            {
                throw PostgresErrors.Explain("pg_basebackup", result, job.Source);
            }

            var physical = ParseWalPositions(result.Stderr, segmentSize)
                ?? throw new BackupException($"pg_basebackup did not report its WAL start and end points: {result.LastErrorLine}");
            await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
            attempt.Record = attempt.Record with { Physical = physical };
            return await attempt.SucceedAsync(streamed.File, streamed.RawBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException or FormatException && !cancellationToken.IsCancellationRequested)
        {
            return await attempt.FailAsync(e).ConfigureAwait(false);
        }
    }

    /// <summary>Reads pg_basebackup -v's "write-ahead log start point: 0/2000028 on timeline 1" and "end point: 0/2000100".</summary>
    internal static PhysicalBackupRecord? ParseWalPositions(string stderr, long segmentSize)
    {
        var start = StartPoint().Match(stderr);
        var end = EndPoint().Match(stderr);
        if (!start.Success || !end.Success)
        {
            return null;
        }

        var timeline = int.Parse(start.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        var startLsn = start.Groups[1].Value;
        var stopLsn = end.Groups[1].Value;
        return new PhysicalBackupRecord(
            startLsn,
            stopLsn,
            timeline,
            WalSegments.FileName(timeline, WalSegments.ParseLsn(startLsn), segmentSize),
            WalSegments.FileName(timeline, WalSegments.ParseLsn(stopLsn), segmentSize),
            segmentSize);
    }

    [GeneratedRegex(@"write-ahead log start point: ([0-9A-F]+/[0-9A-F]+) on timeline (\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex StartPoint();

    [GeneratedRegex(@"write-ahead log end point: ([0-9A-F]+/[0-9A-F]+)", RegexOptions.CultureInvariant)]
    private static partial Regex EndPoint();
}
