namespace Slipway.Control.Apply;

/// <summary>The plan that was applied and one line per action taken (<c>api: revision 5 rolling out (canary)</c>).</summary>
internal sealed record ApplyOutcome(ApplyPlan Plan, IReadOnlyList<string> Done);
