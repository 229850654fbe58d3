using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Slipway.Core.Manifest.Binding;

namespace Slipway.Core.Manifest.Model;

/// <summary>A period when deploys are refused: <c>{ from: 2026-12-20, to: 2027-01-03, reason: holidays }</c>.</summary>
internal sealed record FreezeSpec : IValidatedSpec
{
    /// <summary>A date (UTC midnight) or a timestamp with offset.</summary>
    [Required]
    public string From { get; init; } = "";

    [Required]
    public string To { get; init; } = "";

    public string? Reason { get; init; }

    public DateTimeOffset? FromTime => ParseTime(From);

    public DateTimeOffset? ToTime => ParseTime(To);

    public void Validate(SpecContext context)
    {
        if (FromTime is null)
        {
            context.Error("from", $"must be a date such as 2026-12-20 or a timestamp such as 2026-12-20T18:00:00Z (got {ScalarParsers.Quote(From)})");
        }

        if (ToTime is null)
        {
            context.Error("to", $"must be a date such as 2027-01-03 or a timestamp such as 2027-01-03T06:00:00Z (got {ScalarParsers.Quote(To)})");
        }

        if (FromTime is { } from && ToTime is { } to && to <= from)
        {
            context.Error("to", "must be after `from`");
        }
    }

    private static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
