using System.Globalization;

namespace Slipway.Core.Primitives;

/// <summary>A percentage as written in the manifest: <c>5%</c> has <see cref="Value"/> 5 and <see cref="Fraction"/> 0.05.</summary>
/// <remarks>
/// The <c>%</c> is required so that <c>5</c> is never read as either 5% or 500%. Parsing accepts any finite
/// number, including above 100 or below 0: whether a value is in range depends on the key, and the
/// validator says so with the key's name.
/// </remarks>
internal readonly record struct Percentage(double Value)
{
    public double Fraction => Value / 100;

    public static bool TryParse(string text, out Percentage value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var s = text.Trim();
        if (s.Length < 2 || s[^1] != '%'
            || !double.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number))
        {
            error = $"must be a percentage like 5% or 0.5% (got \"{text}\")";
            return false;
        }

        value = new Percentage(number);
        error = null;
        return true;
    }

    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture) + "%";
}
