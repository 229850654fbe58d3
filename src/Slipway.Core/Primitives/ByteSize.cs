using System.Globalization;

namespace Slipway.Core.Primitives;

/// <summary>A size in bytes as written in the manifest: <c>512B</c>, <c>1KB</c>, <c>10MB</c>, <c>2GB</c>, <c>1TB</c>, or plain <c>1024</c>.</summary>
/// <remarks>
/// Every unit is a power of 1024: <c>1KB</c> = <c>1KiB</c> = 1024 bytes, <c>1MB</c> = <c>1MiB</c> = 1048576 bytes.
/// That is what nginx, JVM flags and most ops configuration mean by K/M/G, and what people expect of a
/// body-size or log-size limit; Kubernetes' decimal <c>M</c> (10^6) is the exception, and the Kubernetes
/// renderer writes <c>Ki</c>/<c>Mi</c>/<c>Gi</c> so nothing is lost. Units are case-insensitive
/// (<c>10mb</c>, <c>10MiB</c>); a fraction is allowed when it comes to whole bytes (<c>1.5KB</c> = 1536).
/// </remarks>
internal readonly record struct ByteSize(long Bytes)
{
    private const string Expected = "must be a size like 512B, 1KB, 10MB or 2GB";

    private static readonly (string Unit, long Factor)[] Units =
    [
        ("TB", 1L << 40),
        ("GB", 1L << 30),
        ("MB", 1L << 20),
        ("KB", 1L << 10),
    ];

    private static readonly (string Unit, long Factor)[] Suffixes =
    [
        ("B", 1),
        ("KB", 1L << 10), ("KIB", 1L << 10),
        ("MB", 1L << 20), ("MIB", 1L << 20),
        ("GB", 1L << 30), ("GIB", 1L << 30),
        ("TB", 1L << 40), ("TIB", 1L << 40),
    ];

    public static bool TryParse(string text, out ByteSize value, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        value = default;
        var s = text.Trim();
        if (s.StartsWith('-'))
        {
            error = $"must not be negative (got \"{text}\")";
            return false;
        }

        var unitStart = 0;
        while (unitStart < s.Length && (char.IsAsciiDigit(s[unitStart]) || s[unitStart] == '.'))
        {
            unitStart++;
        }

        var number = s.AsSpan(0, unitStart);
        var unit = s.AsSpan(unitStart);
        long factor = 1;
        if (unit.Length > 0 && !TryFindFactor(unit, out factor))
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        if (number.Length == 0 || number[0] == '.' || number[^1] == '.' || number.Count('.') > 1)
        {
            error = $"{Expected} (got \"{text}\")";
            return false;
        }

        if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
        {
            error = $"is too large (got \"{text}\")";
            return false;
        }

        decimal bytes;
        try
        {
            bytes = amount * factor;
        }
        catch (OverflowException)
        {
            error = $"is too large (got \"{text}\")";
            return false;
        }

        if (bytes > long.MaxValue)
        {
            error = $"is too large (got \"{text}\")";
            return false;
        }

        if (bytes != decimal.Truncate(bytes))
        {
            error = $"must be a whole number of bytes (got \"{text}\")";
            return false;
        }

        value = new ByteSize((long)bytes);
        error = null;
        return true;
    }

    /// <summary>The largest unit that divides the size exactly: <c>10MB</c>, <c>1536B</c>, <c>0B</c>.</summary>
    public override string ToString()
    {
        if (Bytes != 0)
        {
            foreach (var (unit, factor) in Units)
            {
                if (Bytes % factor == 0)
                {
                    return (Bytes / factor).ToString(CultureInfo.InvariantCulture) + unit;
                }
            }
        }

        return Bytes.ToString(CultureInfo.InvariantCulture) + "B";
    }

    private static bool TryFindFactor(ReadOnlySpan<char> unit, out long factor)
    {
        foreach (var (suffix, f) in Suffixes)
        {
            if (unit.Equals(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                return true;
            }
        }

        factor = 0;
        return false;
    }
}
