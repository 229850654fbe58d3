using Slipway.Core.Manifest.Model;

namespace Slipway.Control.Apply;

/// <summary>
/// What applying a manifest would do, and the manifest the daemon would then run (<see cref="Effective"/>: the new
/// one, except what needs a restart). <see cref="Fingerprint"/> names the plan, so an apply can insist on the
/// plan its user was shown.
/// </summary>
internal sealed record ApplyPlan(IReadOnlyList<ApplyAction> Actions, AppManifest Effective, string Fingerprint)
{
    /// <summary>True when nothing would change now (changes that need a restart do not count).</summary>
    public bool NothingToDo => Actions.All(a => a.Kind == ApplyActionKind.NeedsRestart);
}
