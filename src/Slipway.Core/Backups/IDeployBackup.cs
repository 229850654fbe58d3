namespace Slipway.Core.Backups;

/// <summary>
/// Takes the manifest backup a deploy names in <c>hooks.backupFirst</c>. Rollouts (Slipway.Control) ask for it and
/// Slipway.Backups provides it; the two do not reference each other and meet here, as the proxy and the supervisor
/// meet through the routing contracts.
/// </summary>
internal interface IDeployBackup
{
    /// <returns>Whether the backup was taken, and a line saying which one (or what went wrong).</returns>
    Task<(bool Succeeded, string Message)> RunAsync(string name, CancellationToken cancel);
}
