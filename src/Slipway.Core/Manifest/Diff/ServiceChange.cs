namespace Slipway.Core.Manifest.Diff;

/// <summary>A service that is new, gone, or has <see cref="Fields"/> that differ (paths relative to the service).</summary>
internal sealed record ServiceChange(string Name, ServiceChangeKind Kind, IReadOnlyList<FieldChange> Fields)
{
    /// <summary>The top-level service keys that changed (<c>run</c>, <c>replicas</c>, <c>routes</c>…).</summary>
    public IReadOnlySet<string> Keys { get; } = Fields.Select(f => f.Path.Split('.', '[')[0]).ToHashSet(StringComparer.Ordinal);
}
