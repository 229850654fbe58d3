using Slipway.Control.Apply;

namespace Slipway.Server.Api.Contracts;

/// <summary>
/// What applying a manifest would do (the plan) or did (<see cref="Done"/>, one line per step taken), as every role
/// sees it: values masked (<see cref="Core.Manifest.SensitiveValues"/>; the fingerprint covers the real ones), and the
/// role each change needs (<see cref="Role"/>: the most any of them needs).
/// </summary>
internal sealed record ApplyPlanResponse(string Fingerprint, bool NothingToDo, ApplyRole Role, IReadOnlyList<PlannedAction> Actions, IReadOnlyList<string> Done)
{
    public static ApplyPlanResponse Of(ApplyPlan plan, IReadOnlyList<string>? done) =>
        new(plan.Fingerprint, plan.NothingToDo, ApplyPrivileges.Of(plan), [.. plan.Actions.Select(PlannedAction.Of)], done ?? []);
}
