using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Postgres;
using Slipway.Core.Primitives;
using Slipway.Core.Processes;

namespace Slipway.Backups.Wal;

/// <summary>
/// Continuous WAL archiving: a supervised <c>pg_receivewal</c> streaming the source's WAL into the
/// <see cref="WalArchive"/> over a replication connection, through a replication slot. The daemon hosts one per
/// physical backup; <c>slipway backup wal NAME</c> runs one in the foreground.
/// </summary>
/// <remarks>
/// <para>
/// Why pg_receivewal rather than <c>archive_command</c>: archive_command ships a segment only once it is full
/// (or <c>archive_timeout</c> forces a switch), so the recovery point lags by up to a segment; pg_receivewal
/// streams every record as it is written (<c>--synchronous</c> flushes each one), so the newest WAL is
/// seconds old. It needs no change to the server's configuration and no restart (archive_mode does), it
/// works against a server on another machine, and a Slipway bug cannot block the server: a failing
/// archive_command stops WAL recycling and fills the server's disk while looking healthy.
/// </para>
/// <para>
/// The slot makes the server keep WAL that has not been received, so a receiver that is down (Slipway
/// restarting, the network gone) loses nothing; the cost is that pg_wal grows on the server meanwhile, which
/// is why it is restarted with a bounded backoff and its exits are logged.
/// </para>
/// </remarks>
internal sealed class WalReceiver
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(10);

    /// <summary>How often WAL goes to a remote archive: the recovery point in the bucket is about this old.</summary>
    public static readonly TimeSpan DefaultShipInterval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FinalShipTimeout = TimeSpan.FromSeconds(30);
    private readonly PostgresBinaries _binaries;
    private readonly PostgresSource _source;
    private readonly WalArchive _archive;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ProcessRunner _runner;
    private readonly TimeSpan _shipInterval;

    public WalReceiver(PostgresBinaries binaries, PostgresSource source, WalArchive archive, TimeProvider time, ILogger logger, TimeSpan? shipInterval = null)
    {
        _shipInterval = shipInterval ?? DefaultShipInterval;
        _binaries = binaries;
        _source = source;
        _archive = archive;
        _time = time;
        _logger = logger;
        _runner = new ProcessRunner(time);
    }

    public WalArchive Archive => _archive;

    /// <summary>How many times pg_receivewal has been started; the daemon shows it, tests wait on it.</summary>
    public int Starts { get; private set; }

    /// <summary>Why the last pg_receivewal exited, or null while none has.</summary>
    public string? LastExit { get; private set; }

    /// <summary>Why the last shipment to the remote archive failed, or null while the last one succeeded.</summary>
    public string? LastShipError { get; private set; }

    /// <summary>Files shipped to the remote archive so far; tests wait on it.</summary>
    public int Shipped { get; private set; }

    /// <summary>
    /// Runs until cancelled: creates the slot if missing, starts pg_receivewal, restarts it when it exits; with a
    /// remote archive, ships the spool every ship interval, and once more after pg_receivewal has stopped.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (_archive.Remote is not { } remote)
        {
            await ReceiveAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await Task.WhenAll(ReceiveAsync(cancellationToken), ShipEveryIntervalAsync(remote, cancellationToken)).ConfigureAwait(false);

        // What pg_receivewal flushed as it stopped; bounded, so a dead store cannot hold up a daemon's shutdown.
        using var last = new CancellationTokenSource(FinalShipTimeout, _time);
        await ShipOnceAsync(remote, last.Token).ConfigureAwait(false);
    }

    private async Task ShipEveryIntervalAsync(RemoteWal remote, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_shipInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await ShipOnceAsync(remote, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A failed shipment leaves the spool as it was and is tried again next time; it never stops receiving.</summary>
    private async Task ShipOnceAsync(RemoteWal remote, CancellationToken cancellationToken)
    {
        try
        {
            Shipped += await remote.ShipAsync(_archive, deleteShipped: true, cancellationToken).ConfigureAwait(false);
            LastShipError = null;
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
        {
            LastShipError = e.Message;
            BackupLog.WalShipFailed(_logger, _archive.Name, remote.Destination.Location, _shipInterval, e.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var backoff = MinBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = _time.GetTimestamp();
            try
            {
                await PrepareAsync(cancellationToken).ConfigureAwait(false);
                var exit = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                LastExit = $"pg_receivewal exited ({exit}): {LastLogLine()}";
                BackupLog.WalReceiverExited(_logger, _archive.Name, LastExit);
            }
            catch (BackupException e)
            {
                LastExit = e.Message;
                BackupLog.WalReceiverExited(_logger, _archive.Name, e.Message);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            // A receiver that streamed for a while and then lost the server starts over quickly.
            backoff = _time.GetElapsedTime(started) > TimeSpan.FromMinutes(1) ? MinBackoff : backoff;
            try
            {
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
        }
    }

    private async Task PrepareAsync(CancellationToken cancellationToken)
    {
        PrivateDirectory.Create(_archive.Directory);
        if (PostgresTool.IsRoot)
        {
            var chown = await PostgresTool.RunAsync(new ToolInvocation("chown", [$"{ScratchCluster.OsUser}:{ScratchCluster.OsUser}", _archive.Directory]), cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            if (!chown.IsSuccess)
            {
                throw new BackupException($"cannot give the WAL archive {_archive.Directory} to the {ScratchCluster.OsUser} user: {chown.LastErrorLine}");
            }

            // pg_receivewal and a restored server's restore_command reach the archive as postgres: through
            // DESTINATION/wal and DESTINATION, which are owner-only when Slipway made them.
            foreach (var parent in new[] { Path.GetDirectoryName(_archive.Directory)!, Path.GetDirectoryName(Path.GetDirectoryName(_archive.Directory)!)! })
            {
                await LetPostgresThroughAsync(parent, cancellationToken).ConfigureAwait(false);
            }
        }

        var slot = await PostgresTool.RunAsync(
            new ToolInvocation(_binaries.Tool("pg_receivewal"), ["--create-slot", "--if-not-exists", "--slot", _archive.SlotName, "-w"])
            {
                Environment = _source.ToEnvironment(),
                RunAs = ScratchCluster.OsUser,
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!slot.IsSuccess)
        {
            throw PostgresErrors.Explain("pg_receivewal", slot, _source);
        }
    }

    /// <summary>
    /// A directory nobody but its owner may enter gets the postgres group and group search (0710): postgres
    /// passes through to the archive, and lists and reads nothing there (backup files are 0600). One that
    /// already lets others through is the operator's choice and stays as it is.
    /// </summary>
    private static async Task LetPostgresThroughAsync(string directory, CancellationToken cancellationToken)
    {
        const UnixFileMode Search = UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var mode = File.GetUnixFileMode(directory);
        if ((mode & Search) != 0)
        {
            return;
        }

        var chgrp = await PostgresTool.RunAsync(new ToolInvocation("chgrp", [ScratchCluster.OsUser, directory]), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!chgrp.IsSuccess)
        {
            throw new BackupException($"cannot let the {ScratchCluster.OsUser} user through {directory} to the WAL archive: {chgrp.LastErrorLine}");
        }

        File.SetUnixFileMode(directory, mode | UnixFileMode.GroupExecute);
    }

    private async Task<ProcessExit> RunOnceAsync(CancellationToken cancellationToken)
    {
        // -n: no retry loop of its own; this class is the one place that decides about restarts and logs them.
        List<string> arguments = ["-D", _archive.Directory, "--slot", _archive.SlotName, "--synchronous", "-n", "-w", "-v"];
        var spec = new ToolInvocation(_binaries.Tool("pg_receivewal"), arguments)
        {
            Environment = _source.ToEnvironment(),
            RunAs = ScratchCluster.OsUser,
        }.ToSpec(_archive.Directory);
        var process = _runner.Start(spec with { StdoutPath = _archive.LogPath, StderrPath = _archive.LogPath });
        Starts++;
        BackupLog.WalReceiverStarted(_logger, _archive.Name, process.Pid.ToString(CultureInfo.InvariantCulture), _archive.Directory);
        try
        {
            return await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: pg_receivewal flushes what it has and exits; SIGKILL only if it hangs.
            await process.TerminateGroupAsync(StopGrace, CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private string LastLogLine()
    {
        try
        {
            return File.ReadLines(_archive.LogPath).LastOrDefault(l => l.Length > 0) ?? "no output";
        }
        catch (IOException)
        {
            return "no output";
        }
    }
}
