namespace Slipway.Control.Logs;

/// <summary>How logs are collected and bounded.</summary>
internal sealed record LogOptions
{
    public TimeSpan Interval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>One stamped file's size before it rotates.</summary>
    public long MaxFileBytes { get; init; } = 10L << 20;

    /// <summary>Rotated files kept beside the current one.</summary>
    public int KeepFiles { get; init; } = 3;

    /// <summary>A raw file read to its end and larger than this is truncated.</summary>
    public long MaxRawBytes { get; init; } = 1L << 20;
}
