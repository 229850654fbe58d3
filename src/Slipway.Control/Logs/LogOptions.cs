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

    /// <summary>The folder holding every service's logs, which <see cref="LogRetention"/> keeps bounded; null to apply none.</summary>
    public string? RetentionRoot { get; init; }

    /// <summary>Files last written longer ago than this are deleted (manifest <c>logs.maxAge</c>).</summary>
    public TimeSpan MaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>All instance logs together (manifest <c>logs.maxSize</c>).</summary>
    public long MaxTotalBytes { get; init; } = 1L << 30;

    /// <summary>Told when a write fails for lack of space, so a full disk is said once rather than per batch of lines.</summary>
    public State.StateDisk? Disk { get; init; }

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; init; } = TimeSpan.FromMinutes(1);
}
