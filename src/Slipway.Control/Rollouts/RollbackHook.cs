using Slipway.Control.Events;
using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Rollouts;

/// <summary>
/// <c>hooks.rollback</c>: a down migration, run once traffic is back on the earlier revision. It runs as the revision
/// it undoes (that version's <c>${VERSION}</c>, <c>run.env</c> and <c>run.secrets</c>) and is told where traffic went
/// (<c>SLIPWAY_ROLLBACK_TO_REVISION</c>, <c>SLIPWAY_ROLLBACK_TO_VERSION</c>). Its outcome is an event; a failure is
/// reported, and the switch back, already made, stands.
/// </summary>
internal static class RollbackHook
{
    /// <param name="spec">The spec of the revision undone; its service's <c>deploy.hooks.rollback</c> is what runs.</param>
    /// <returns>Null when there is no rollback hook or it passed; otherwise why it failed.</returns>
    public static async Task<string?> RunAsync(RolloutContext context, string service, ServiceSpec spec, (string Revision, string Version) undone, (string Revision, string Version) to)
    {
        if (spec.Deploy.Hooks.Rollback is not { } hook)
        {
            return null;
        }

        var failure = await HookRunner.RunAsync(context, hook, service, spec, undone.Revision, undone.Version, CancellationToken.None,
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["SLIPWAY_ROLLBACK_TO_REVISION"] = to.Revision,
                ["SLIPWAY_ROLLBACK_TO_VERSION"] = to.Version,
            }).ConfigureAwait(false);
        context.Journal.Record(service, null, failure is null ? EventKinds.HookPassed : EventKinds.HookFailed, failure is null
            ? $"rollback hook passed for revision {undone.Revision} (version {undone.Version}): {hook.Command}"
            : $"rollback hook failed for revision {undone.Revision} (version {undone.Version}); traffic stays on revision {to.Revision}: {failure}");
        return failure;
    }
}
