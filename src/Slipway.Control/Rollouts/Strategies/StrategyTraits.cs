namespace Slipway.Control.Rollouts.Strategies;

/// <summary>What a strategy does differently from the others, around the steps it runs.</summary>
/// <param name="RunsHooks">False for a return to a version that ran before: its migration ran, and it must not wait on a hook or a smoke check.</param>
/// <param name="PromotedByCommand">True where <c>slipway promote</c> applies; false where the rollout promotes itself once every new instance is ready.</param>
/// <param name="AnalysesWhileWaiting">True where old and new serve side by side while new instances become ready, so analysis runs meanwhile.</param>
/// <param name="KeepsOldSetWarm">True where the old set stays running after promotion (<c>scaleDownDelay</c>) for an instant rollback.</param>
internal sealed record StrategyTraits(bool RunsHooks, bool PromotedByCommand, bool AnalysesWhileWaiting, bool KeepsOldSetWarm);
