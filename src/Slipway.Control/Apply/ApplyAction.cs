using Slipway.Core.Manifest.Diff;

namespace Slipway.Control.Apply;

/// <summary>One step of an apply: on a service (or an app-wide section, for <see cref="ApplyActionKind.NeedsRestart"/>), why, and the values that differ.</summary>
internal sealed record ApplyAction(string Target, ApplyActionKind Kind, string Detail, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>True when <see cref="Target"/> is an app-wide section (<c>proxy</c>, <c>alerts</c>…), whose field paths start with its name.</summary>
    public bool AppWide { get; init; }
}
