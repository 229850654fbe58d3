using System.Globalization;
using Microsoft.Extensions.Logging;
using Slipway.Backups.Catalog;
using Slipway.Backups.Postgres;
using Slipway.Core.Backups;
using Slipway.Core.Manifest.Model;

namespace Slipway.Backups;

/// <summary>
/// The backup a deploy takes first (<c>hooks.backupFirst</c>), with the same code as <c>slipway backup run</c> and the
/// daemon's schedules: resolved from the manifest's <c>backups:</c> entry, then retention applied after a success.
/// </summary>
internal sealed class DeployBackup : IDeployBackup
{
    private readonly AppManifest _manifest;
    private readonly string _manifestDirectory;
    private readonly Func<string, string?> _environment;
    private readonly Func<string, string?> _secret;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="secret">A secret by name, as the daemon's scheduled backups read them.</param>
    public DeployBackup(AppManifest manifest, string manifestDirectory, Func<string, string?> environment, Func<string, string?> secret, TimeProvider time, ILogger logger)
    {
        _manifest = manifest;
        _manifestDirectory = manifestDirectory;
        _environment = environment;
        _secret = secret;
        _time = time;
        _logger = logger;
    }

    /// <returns>Whether the backup was taken, and a line saying which one (or what went wrong).</returns>
    public async Task<(bool Succeeded, string Message)> RunAsync(string name, CancellationToken cancel)
    {
        if (!_manifest.Backups.ContainsKey(name))
        {
            // Manifest validation refuses this; kept for a manifest built in code.
            return (false, $"there is no backup named {name} in `backups:`");
        }

        try
        {
            var record = await TakeAsync(name, cancel).ConfigureAwait(false);
            return record.Status == BackupStatus.Succeeded
                ? (true, $"backup {record.Id} taken in {record.Duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)}s")
                : (false, $"backup {record.Id} failed: {record.Error}");
        }
        catch (BackupException e)
        {
            return (false, $"backup {name} could not run: {e.Message}");
        }
    }

    /// <summary>Takes the backup <paramref name="name"/> now, as a schedule would (the daemon's <c>POST /backups/NAME/run</c> too).</summary>
    /// <returns>Its record, failed or not.</returns>
    /// <exception cref="BackupException">The entry's references cannot be resolved, or the PostgreSQL tools are missing.</exception>
    public Task<BackupRecord> TakeAsync(string name, CancellationToken cancel)
    {
        var job = BackupJob.FromSpec(name, _manifest.Backups[name], _manifestDirectory, _environment, _secret);
        return new BackupService(PostgresBinaries.Locate(_environment), _time, _logger).RunAsync(job, cancel);
    }
}
