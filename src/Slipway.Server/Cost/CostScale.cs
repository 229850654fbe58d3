using System.Globalization;

namespace Slipway.Server.Cost;

/// <summary>A number of users to price the app at: <c>1k</c>, <c>10k</c>, <c>2.5m</c>, <c>500</c>.</summary>
internal sealed record CostScale(string Label, long Users)
{
    /// <returns>The scales of a comma-separated list, or null with the first bad entry in <paramref name="error"/>.</returns>
    public static IReadOnlyList<CostScale>? ParseList(string text, out string? error)
    {
        var scales = new List<CostScale>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var (number, multiplier) = char.ToLowerInvariant(part[^1]) switch
            {
                'k' => (part[..^1], 1_000d),
                'm' => (part[..^1], 1_000_000d),
                _ => (part, 1d),
            };
            if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value * multiplier is < 1 or > 1e10)
            {
                error = $"--scale takes user counts such as 1k,10k,100k (got \"{part}\")";
                return null;
            }

            scales.Add(new CostScale(part, (long)Math.Round(value * multiplier)));
        }

        error = scales.Count == 0 ? "--scale takes user counts such as 1k,10k,100k (got nothing)" : null;
        return error is null ? scales : null;
    }
}
