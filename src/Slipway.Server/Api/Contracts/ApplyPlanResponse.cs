using Slipway.Control.Apply;

namespace Slipway.Server.Api.Contracts;

/// <summary>What applying a manifest would do (the plan) or did (<see cref="Done"/>, one line per step taken).</summary>
internal sealed record ApplyPlanResponse(string Fingerprint, bool NothingToDo, IReadOnlyList<ApplyAction> Actions, IReadOnlyList<string> Done)
{
    public static ApplyPlanResponse Of(ApplyPlan plan, IReadOnlyList<string>? done) => new(plan.Fingerprint, plan.NothingToDo, plan.Actions, done ?? []);
}
