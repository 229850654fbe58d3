using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Postgres;

namespace Slipway.Backups.Logical;

/// <summary>
/// Takes one logical backup: <c>pg_dump -Fc</c> streamed through optional compression and encryption into
/// the destination, hashed on the way, then recorded. A failure is recorded too, with no data file.
/// </summary>
internal sealed class BackupRunner(PostgresBinaries binaries, TimeProvider time, ILogger logger)
{
    /// <summary>Runs the backup and returns its record (saved at the destination), failed or not. Throws only on cancellation.</summary>
    public async Task<BackupRecord> RunAsync(BackupJob job, CancellationToken cancellationToken)
    {
        var attempt = await BackupAttempt.BeginAsync(job, "logical", time, logger, cancellationToken).ConfigureAwait(false);
        try
        {
            var pgDump = binaries.PgDump;
            var version = await ToolVersionAsync(pgDump, cancellationToken).ConfigureAwait(false);
            attempt.Record = attempt.Record with { Tools = new Dictionary<string, string> { ["pg_dump"] = version } };

            // Ask the server first: a clear "cannot reach"/"wrong password" before any file exists.
            var serverVersion = await Psql.QueryAsync(binaries, job.Source, "show server_version", cancellationToken).ConfigureAwait(false);
            attempt.Record = attempt.Record with { ServerVersion = serverVersion };

            var fileName = DumpFormat.FileName(attempt.Id, job.Compression, job.Key is not null);
            var arguments = new List<string> { "-Fc", "-w", "--no-sync" };
            arguments.AddRange(DumpFormat.PgDumpArguments(job.Compression, MajorVersion(version)));
            arguments.Add("-d");
            arguments.Add(job.Source.Database);

            await using var upload = await job.Destination.CreateAsync(fileName, cancellationToken).ConfigureAwait(false);
            var streamed = await StreamedBackup.RunAsync(
                new ToolInvocation(pgDump, arguments) { Environment = job.Source.ToEnvironment() },
                upload, fileName, file => DumpFormat.Writer(file, job.Compression, job.Key), cancellationToken).ConfigureAwait(false);
            attempt.Stderr = streamed.Result.Stderr;
            if (!streamed.Result.IsSuccess)
            {
                throw PostgresErrors.Explain("pg_dump", streamed.Result, job.Source);
            }

            await upload.CommitAsync(cancellationToken).ConfigureAwait(false);
            return await attempt.SucceedAsync(streamed.File, streamed.RawBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException && !cancellationToken.IsCancellationRequested)
        {
            return await attempt.FailAsync(e).ConfigureAwait(false);
        }
    }

    internal static async Task<string> ToolVersionAsync(string tool, CancellationToken cancellationToken)
    {
        var output = new MemoryStream();
        var result = await PostgresTool.RunAsync(new ToolInvocation(tool, ["--version"]), (s, ct) => s.CopyToAsync(output, ct), cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return result.IsSuccess
            ? System.Text.Encoding.UTF8.GetString(output.ToArray()).Trim()
            : throw new BackupException($"{Path.GetFileName(tool)} --version failed: {result.LastErrorLine}");
    }

    /// <summary>16 from "pg_dump (PostgreSQL) 16.2 (Debian ...)"; 0 when unreadable.</summary>
    internal static int MajorVersion(string versionLine)
    {
        var token = versionLine.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(t => t.Length > 0 && char.IsAsciiDigit(t[0])) ?? "";
        return int.TryParse(token.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? major : 0;
    }
}
