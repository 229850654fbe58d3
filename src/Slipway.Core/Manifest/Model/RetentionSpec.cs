using System.ComponentModel.DataAnnotations;

namespace Slipway.Core.Manifest.Model;

/// <summary>
/// Which backups are kept: the newest <see cref="KeepLast"/>, plus the newest of each of
/// the last <see cref="Daily"/> days, <see cref="Weekly"/> weeks and <see cref="Monthly"/> months.
/// </summary>
internal sealed record RetentionSpec
{
    [Range(1, 10_000)]
    public int KeepLast { get; init; } = 3;

    [Range(0, 10_000)]
    public int Daily { get; init; } = 7;

    [Range(0, 10_000)]
    public int Weekly { get; init; } = 4;

    [Range(0, 10_000)]
    public int Monthly { get; init; } = 6;
}
