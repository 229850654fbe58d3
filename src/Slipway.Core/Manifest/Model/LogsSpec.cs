using Slipway.Core.Manifest.Binding;
using Slipway.Core.Primitives;

namespace Slipway.Core.Manifest.Model;

/// <summary>How long and how much instance output is kept, across every service and revision.</summary>
internal sealed record LogsSpec : IValidatedSpec
{
    private static readonly TimeSpan MinAge = TimeSpan.FromMinutes(1);
    private static readonly ByteSize MinSize = new(1L << 20);

    /// <summary>Log files last written longer ago than this are deleted.</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>All instances' log files together; the oldest go first.</summary>
    public ByteSize MaxSize { get; init; } = new(1L << 30);

    public void Validate(SpecContext context)
    {
        if (MaxAge < MinAge)
        {
            context.Error("maxAge", $"must be at least 1m (got {DurationText.Format(MaxAge)})");
        }

        if (MaxSize.Bytes < MinSize.Bytes)
        {
            context.Error("maxSize", $"must be at least 1MB (got {MaxSize.Bytes} bytes)");
        }
    }
}
