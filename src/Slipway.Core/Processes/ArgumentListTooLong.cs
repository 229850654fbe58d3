using System.Globalization;
using System.Text;

namespace Slipway.Core.Processes;

/// <summary>
/// Linux refuses to start a program whose arguments and environment are too large (E2BIG, "Argument list too
/// long"): one string over <see cref="MaxStringBytes"/> (MAX_ARG_STRLEN), or all of them together over a quarter
/// of the stack limit (about 2 MB by default). The bare errno names nothing; this says which variables and
/// arguments made it too large.
/// </summary>
internal static class ArgumentListTooLong
{
    public const int Errno = 7;

    public const int MaxStringBytes = 128 * 1024;

    public static string Describe(ProcessSpec spec)
    {
        // Sizes as the kernel counts them: each string with its terminating NUL, environment entries as NAME=value.
        var sized = spec.Environment.Select(e => (What: $"environment variable {e.Key}", Bytes: Encoding.UTF8.GetByteCount(e.Key) + Encoding.UTF8.GetByteCount(e.Value) + 2))
            .Concat(spec.Arguments.Select((a, i) => (What: $"argument {i + 1}", Bytes: Encoding.UTF8.GetByteCount(a) + 1)))
            .ToList();
        var total = sized.Sum(s => (long)s.Bytes) + Encoding.UTF8.GetByteCount(spec.FileName) + 1;
        var overOne = sized.Where(s => s.Bytes > MaxStringBytes).ToList();
        var detail = overOne.Count > 0
            ? $"{string.Join(", ", overOne.Select(s => $"{s.What} is {Size(s.Bytes)}"))}, over the {Size(MaxStringBytes)} Linux allows one of them"
            : $"together they take {Size(total)}, over what Linux allows (a quarter of the stack limit, about 2 MB by default); the largest: "
                + string.Join(", ", sized.OrderByDescending(s => s.Bytes).Take(3).Select(s => $"{s.What} ({Size(s.Bytes)})"));
        return $"cannot start {spec.FileName}: its arguments and environment are too large (E2BIG): {detail}";
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? (bytes / (1024.0 * 1024)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB"
        : (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB";
}
