using Slipway.Backups.Catalog;
using Slipway.Backups.Destinations;
using Slipway.Backups;
using Slipway.Control.Logs;
using Slipway.Core.Primitives;
using Slipway.Server.Cost;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// Room on disk for what retention lets grow: logs up to <c>logs.maxSize</c>, each local backup's kept copies at the
/// newest one's size, and the state directory's own writes.
/// </summary>
internal sealed class DiskCheck : IPreflightCheck
{
    /// <summary>The state store, audit log and secrets are small, but a full disk stops every write at once.</summary>
    internal static readonly ByteSize StateFloor = new(256L << 20);

    public string Name => "disk";

    public bool ConcernsDeploy => false;

    public async Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>
        {
            Room("state", context.StateDirectory, StateFloor.Bytes, "the state directory's own writes"),
        };
        var logs = LogPaths.Root(context.StateDirectory);
        var logLimit = context.Manifest.Logs.MaxSize.Bytes;
        findings.Add(Room("logs", logs, Math.Max(0, logLimit - DirectorySize.Of(logs)), $"logs.maxSize {context.Manifest.Logs.MaxSize}, {PreflightText.Size(DirectorySize.Of(logs))} used"));
        foreach (var (name, spec) in context.Manifest.Backups.OrderBy(b => b.Key, StringComparer.Ordinal))
        {
            if (spec.IsS3Destination())
            {
                continue; // object storage: its bucket's quota is not this machine's disk
            }

            var destination = Path.GetFullPath(spec.Destination, context.ManifestDirectory);
            var kept = spec.Retention.KeepLast + spec.Retention.Daily + spec.Retention.Weekly + spec.Retention.Monthly;
            long newest;
            try
            {
                newest = (await new BackupCatalog(BackupDestinations.Open(spec, context.ManifestDirectory, context.Environment, context.Secrets)).ListAsync(cancel).ConfigureAwait(false))
                    .Where(r => r.Name == name && r.Status == BackupStatus.Succeeded).MaxBy(r => r.FinishedAt)?.Files.Sum(f => f.Bytes) ?? 0;
            }
            catch (BackupException)
            {
                newest = 0; // the backups check says why the catalog cannot be read
            }

            var need = Math.Max(0, (kept * newest) - DirectorySize.Of(destination));
            var why = newest == 0 ? "no backup taken yet, so its size is unknown" : $"{kept} kept at most (retention) × {PreflightText.Size(newest)} (the newest)";
            findings.Add(Room($"backup {name}", destination, need, why));
        }

        return findings;
    }

    /// <summary>Free space on the file system holding <paramref name="path"/> (or its nearest existing parent) against <paramref name="need"/>.</summary>
    private PreflightFinding Room(string what, string path, long need, string why)
    {
        var existing = Path.GetFullPath(path);
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        var free = new DriveInfo(existing).AvailableFreeSpace;
        var evidence = $"{PreflightText.Size(free)} free for {path}; it may grow by {PreflightText.Size(need)} ({why})";
        return free < need ? new(Name, what, PreflightStatus.Fail, evidence, $"free space on the disk holding {path}, or lower the retention")
            : free < need * 2 ? new(Name, what, PreflightStatus.Warn, evidence, $"free space on the disk holding {path} before the margin is gone")
            : PreflightFinding.Ok(Name, what, evidence);
    }
}
