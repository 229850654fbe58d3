using Slipway.Control.Runtime;

namespace Slipway.Control.State;

// Not RolloutStatus on purpose: only what a restarted daemon needs to settle the rollout (complete or abort it) is stored, not its weights or analysis.
/// <summary>
/// A rollout in progress as the state store keeps it, written at every step so a daemon restart finds it.
/// <see cref="Phase"/> is the controller's word for where it is; <see cref="Step"/> counts canary steps.
/// </summary>
internal sealed record RolloutRecord(
    string Service,
    string Revision,
    string Version,
    string StableRevision,
    RolloutStrategy Strategy,
    RolloutPhase Phase,
    int Step,
    bool Paused,
    DateTimeOffset Started,
    DateTimeOffset Updated);
