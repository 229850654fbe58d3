using Slipway.Control.Rollouts;
using Slipway.Control.Runtime;

namespace Slipway.Server.Api.Contracts;

// Not RolloutStatus itself on purpose: the wire shape stays put when the controller's record changes, and the analysis has its own contract.
/// <summary>A rollout: the split, where it is, and the last analysis with its figures.</summary>
/// <param name="Strategy">rolling, blue-green, canary, or rollback (a fast return to an older revision).</param>
/// <param name="Phase">Where the rollout is (canary, warm, promoted, rolled-back, ...).</param>
/// <param name="Weights">Traffic weight per revision.</param>
/// <param name="Outcome">promoted, rolled-back, aborted or failed once it is over; null while it runs.</param>
/// <param name="Message">Why it ended; while it runs, why it waits, if it says (a canary held until an analysis passes, with the figures).</param>
internal sealed record RolloutResponse(
    string Service,
    string Revision,
    string Version,
    string StableRevision,
    RolloutStrategy Strategy,
    RolloutPhase Phase,
    int Step,
    int Steps,
    bool Paused,
    IReadOnlyDictionary<string, int> Weights,
    DateTimeOffset Started,
    int ConsecutiveFailures,
    RevisionOutcome? Outcome,
    string? Message,
    DateTimeOffset? Finished,
    AnalysisResponse? LastAnalysis)
{
    public static RolloutResponse Of(RolloutStatus s) => new(
        s.Service, s.Revision, s.Version, s.StableRevision, s.Strategy, s.Phase, s.Step, s.Steps, s.Paused, s.Weights, s.Started,
        s.ConsecutiveFailures, s.Outcome, s.Message, s.Finished, s.LastAnalysis is { } a ? AnalysisResponse.Of(a) : null);
}
