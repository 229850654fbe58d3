using System.Globalization;
using System.Net.Sockets;
using Slipway.Backups;
using Slipway.Control.Rollouts;
using Slipway.Core.Manifest.Model;

namespace Slipway.Server.Preflight.Checks;

/// <summary>
/// For the next deploy of each service: its window is open and no freeze holds, its <c>backupFirst</c> database
/// answers, and a rollback path exists (the running revision is warm to switch back to).
/// </summary>
internal sealed class DeployCheck : IPreflightCheck
{
    public string Name => "deploy";

    public bool ConcernsDeploy => true;

    public async Task<IReadOnlyList<PreflightFinding>> RunAsync(PreflightContext context, CancellationToken cancel)
    {
        var findings = new List<PreflightFinding>();
        foreach (var (name, service) in context.Services())
        {
            if (service.Run is null)
            {
                continue; // upstream-only: Slipway does not deploy it
            }

            findings.Add(Window(context, name, service.Deploy));
            if (service.Deploy.Hooks.BackupFirst is { } backup)
            {
                findings.Add(await BackupFirstAsync(context, name, backup).ConfigureAwait(false));
            }

            if (RollbackPath(context, name) is { } path)
            {
                findings.Add(path);
            }
        }

        return findings;
    }

    private PreflightFinding Window(PreflightContext context, string service, DeploySpec deploy)
    {
        var subject = $"services.{service}.deploy window";
        if (deploy.Windows.Count == 0 && deploy.Freeze.Count == 0)
        {
            return PreflightFinding.Ok(Name, subject, "no windows or freezes: deploys may start any time", service);
        }

        return DeployGate.Refusal(deploy, context.Time.GetUtcNow()) is { } refusal
            ? new(Name, subject, PreflightStatus.Fail, refusal.Replace("; use --force to deploy anyway", "", StringComparison.Ordinal),
                "wait for the window, or deploy --force (recorded in the audit log)", service)
            : PreflightFinding.Ok(Name, subject, $"open now ({string.Join(", ", deploy.Windows.DefaultIfEmpty("any time"))}), no freeze", service);
    }

    /// <summary>The database <c>backupFirst</c> backs up answers on its port: without it the deploy would stop at its first step.</summary>
    private async Task<PreflightFinding> BackupFirstAsync(PreflightContext context, string service, string backup)
    {
        var subject = $"services.{service}.deploy.hooks.backupFirst: {backup}";
        BackupJob job;
        try
        {
            job = BackupJob.FromSpec(backup, context.Manifest.Backups[backup], context.ManifestDirectory, context.Environment, context.Secrets);
        }
        catch (BackupException e)
        {
            return new(Name, subject, PreflightStatus.Fail, $"cannot resolve backup {backup}: {e.Message}", "set what the backup's connection names (see the secrets check)", service);
        }

        var source = job.Source;
        var where = source.Describe();
        if (source.Host.StartsWith('/'))
        {
            var socket = Path.Combine(source.Host, $".s.PGSQL.{source.Port.ToString(CultureInfo.InvariantCulture)}");
            return File.Exists(socket)
                ? PreflightFinding.Ok(Name, subject, $"{where}: the server's socket {socket} exists", service)
                : new(Name, subject, PreflightStatus.Fail, $"{where}: no server socket at {socket}", $"start PostgreSQL for {where}", service);
        }

        using var bounded = context.Bounded();
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(source.Host, source.Port, bounded.Token).ConfigureAwait(false);
            return PreflightFinding.Ok(Name, subject, $"{where} accepts connections", service);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            var why = e is OperationCanceledException ? "no answer in time" : e.Message;
            return new(Name, subject, PreflightStatus.Fail, $"{where} does not accept connections: {why}", $"start PostgreSQL for {where}, or deploy --force to skip the backup's reach check", service);
        }
    }

    /// <summary>A deploy's rollback target is the revision running now: warm when it has ready instances. Null outside a daemon.</summary>
    private PreflightFinding? RollbackPath(PreflightContext context, string service)
    {
        if (context.Store is not { } store || context.ReadyInstances is not { } ready)
        {
            return null;
        }

        var subject = $"services.{service} rollback path";
        var current = store.Revisions(service).LastOrDefault(r => r.Current);
        if (current is null)
        {
            return new(Name, subject, PreflightStatus.Warn, "no revision is current yet: a failed first deploy has nothing to go back to", $"start the service once (slipway up) before deploying", service);
        }

        var count = ready(service);
        return count > 0
            ? PreflightFinding.Ok(Name, subject, $"revision {current.Revision} (version {current.Version}) runs with {count} ready instance{(count == 1 ? "" : "s")}: a rollback switches back at once", service)
            : new(Name, subject, PreflightStatus.Warn, $"revision {current.Revision} (version {current.Version}) has no ready instance: a rollback would have to start it", $"find why with slipway status and slipway logs {service}", service);
    }
}
