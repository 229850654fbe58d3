using Slipway.Core.Manifest.Diff;

namespace Slipway.Control.Apply;

/// <summary>One step of an apply: on a service (or an app-wide section, for <see cref="ApplyActionKind.NeedsRestart"/>), why, and the values that differ.</summary>
internal sealed record ApplyAction(string Target, ApplyActionKind Kind, string Detail, IReadOnlyList<FieldChange> Fields);
