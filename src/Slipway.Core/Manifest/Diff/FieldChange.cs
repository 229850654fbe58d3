namespace Slipway.Core.Manifest.Diff;

/// <summary>One value that differs, by its manifest path (<c>run.env.LOG_LEVEL</c>); Before or After is null where absent.</summary>
/// <param name="Before">The running value as compact JSON.</param>
/// <param name="After">The new value as compact JSON.</param>
internal sealed record FieldChange(string Path, string? Before, string? After);
