using Slipway.Backups;
using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Control.Alerts;
using Slipway.Core.Configuration;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server;

/// <summary>
/// Each backup's newest outcome, as the alert functions (<c>backup_age</c>, <c>backup_failed</c>) and <c>/metrics</c>
/// read it. They read on the engine's timer and on a scrape, synchronously; a catalog is read asynchronously (at S3,
/// a listing and a GET per record), so it is read here, at the start and then every alert interval, and they get the
/// newest reading: at most one interval old, and a scrape costs the store nothing.
/// </summary>
/// <remarks>A backup whose S3 keys are unset has no catalog to read and is left out; DaemonBackups reports it as a failed backup.</remarks>
internal sealed class BackupStates : IAsyncDisposable
{
    private readonly List<(string Name, IBackupDestination Destination)> _destinations;
    private readonly TimeProvider _time;
    private readonly TimeSpan _interval;
    private readonly CancellationTokenSource _stop = new();
    private IReadOnlyList<BackupState> _current = [];
    private Task _reading = Task.CompletedTask;

    private BackupStates(List<(string Name, IBackupDestination Destination)> destinations, TimeProvider time, TimeSpan interval)
    {
        _destinations = destinations;
        _time = time;
        _interval = interval;
    }

    /// <summary>Opens each backup's destination and starts reading them, now and every <paramref name="interval"/>.</summary>
    /// <param name="secrets">Resolves an S3 destination's <c>secret:</c> keys.</param>
    public static BackupStates Start(AppManifest manifest, string manifestDirectory, Func<string, string?> secrets, TimeProvider time, TimeSpan interval)
    {
        var destinations = new List<(string, IBackupDestination)>();
        foreach (var (name, spec) in manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            try
            {
                destinations.Add((name, BackupDestinations.Open(spec, manifestDirectory, EnvironmentVariables.Get, secrets)));
            }
            catch (BackupException)
            {
            }
        }

        var states = new BackupStates(destinations, time, interval);
        states._reading = states.ReadEveryIntervalAsync(states._stop.Token);
        return states;
    }

    /// <summary>The newest reading; empty until the first one ends.</summary>
    public IReadOnlyList<BackupState> Current() => Volatile.Read(ref _current);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _reading.ConfigureAwait(false);
        _stop.Dispose();
        foreach (var (_, destination) in _destinations)
        {
            (destination as IDisposable)?.Dispose();
        }
    }

    private async Task ReadEveryIntervalAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var states = new List<BackupState>();
                foreach (var (name, destination) in _destinations)
                {
                    states.Add(await ReadAsync(name, new BackupCatalog(destination), cancellationToken).ConfigureAwait(false));
                }

                Volatile.Write(ref _current, states);
                await Task.Delay(_interval, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The daemon is stopping.
        }
    }

    private static async Task<BackupState> ReadAsync(string name, BackupCatalog catalog, CancellationToken cancellationToken)
    {
        List<BackupRecord> records;
        try
        {
            records = [.. (await catalog.ListAsync(cancellationToken).ConfigureAwait(false)).Where(r => r.Name == name)];
        }
        catch (Exception e) when (e is BackupException or IOException or UnauthorizedAccessException)
        {
            // A destination that cannot be listed now: no success can be shown, which is what backup-stale is for.
            return new BackupState(name, null, true);
        }

        var lastSuccess = records.Where(r => r.Status == BackupStatus.Succeeded).Select(r => (DateTimeOffset?)r.FinishedAt).LastOrDefault();
        return new BackupState(name, lastSuccess, records.Count > 0 && records[^1].Status == BackupStatus.Failed);
    }
}
