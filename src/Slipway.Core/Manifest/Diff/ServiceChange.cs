namespace Slipway.Core.Manifest.Diff;

/// <summary>A service that is new, gone, or has <see cref="Fields"/> that differ (paths relative to the service).</summary>
internal sealed record ServiceChange(string Name, ServiceChangeKind Kind, IReadOnlyList<FieldChange> Fields);
