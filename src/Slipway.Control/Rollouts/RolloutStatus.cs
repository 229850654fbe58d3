using Slipway.Control.Analysis;
using Slipway.Control.Runtime;

namespace Slipway.Control.Rollouts;

/// <summary>A rollout as the API and <c>slipway status</c> show it: where it is, the split, the last analysis, and how it ended.</summary>
internal sealed record RolloutStatus(
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
    AnalysisResult? LastAnalysis,
    int ConsecutiveFailures,
    RevisionOutcome? Outcome,
    string? Message,
    DateTimeOffset? Finished);
