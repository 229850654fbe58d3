using System.Globalization;
using Slipway.Core.Primitives;
using Slipway.Core.Scheduling;

namespace Slipway.Core.Manifest.Binding;

/// <summary>How each value type the manifest uses is read from text. Errors read after the key.</summary>
internal static class ScalarParsers
{
    public delegate bool Parser(string text, out object? value, out string? error);

    private static readonly Dictionary<Type, Parser> Parsers = new()
    {
        [typeof(string)] = (string text, out object? value, out string? error) =>
        {
            value = text;
            error = null;
            return true;
        },
        [typeof(int)] = (string text, out object? value, out string? error) =>
        {
            var ok = int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var result);
            value = result;
            error = ok ? null : $"must be a whole number (got {Quote(text)})";
            return ok;
        },
        [typeof(double)] = (string text, out object? value, out string? error) =>
        {
            var ok = double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var result) && double.IsFinite(result);
            value = result;
            error = ok ? null : $"must be a number (got {Quote(text)})";
            return ok;
        },
        [typeof(bool)] = (string text, out object? value, out string? error) =>
        {
            // Only YAML 1.2's true/false: `yes`, `no` and `on` are strings here, as in Kubernetes.
            var ok = text is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";
            value = ok && text[0] is 't' or 'T';
            error = ok ? null : $"must be true or false (got {Quote(text)})";
            return ok;
        },
        [typeof(TimeSpan)] = (string text, out object? value, out string? error) =>
        {
            var ok = DurationText.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(ByteSize)] = (string text, out object? value, out string? error) =>
        {
            var ok = ByteSize.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(Percentage)] = (string text, out object? value, out string? error) =>
        {
            var ok = Percentage.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(Rate)] = (string text, out object? value, out string? error) =>
        {
            var ok = Rate.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(System.Net.IPNetwork)] = (string text, out object? value, out string? error) =>
        {
            var ok = Cidr.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(CronExpression)] = (string text, out object? value, out string? error) =>
        {
            var ok = CronExpression.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
        [typeof(ValueReference)] = (string text, out object? value, out string? error) =>
        {
            var ok = ValueReference.TryParse(text, out var result, out error);
            value = result;
            return ok;
        },
    };

    public static bool TryGet(Type type, out Parser parser)
    {
        if (Parsers.TryGetValue(type, out parser!))
        {
            return true;
        }

        if (type.IsEnum)
        {
            parser = (string text, out object? value, out string? error) => TryParseEnum(type, text, out value, out error);
            return true;
        }

        return false;
    }

    public static bool IsScalar(Type type) => type.IsEnum || Parsers.ContainsKey(type);

    /// <summary>Enum members are written in kebab-case: <c>BlueGreen</c> is <c>blue-green</c>.</summary>
    public static string EnumName(object member) => Kebab(member.ToString()!);

    public static IEnumerable<string> EnumNames(Type type) => Enum.GetNames(type).Select(Kebab);

    /// <summary>The member whose kebab-case name is <paramref name="text"/> (the inverse of <see cref="EnumName"/>).</summary>
    public static bool TryParseEnum<T>(string text, out T value)
        where T : struct, Enum
    {
        var parsed = TryParseEnum(typeof(T), text, out var member, out _);
        value = parsed ? (T)member! : default;
        return parsed;
    }

    public static string Quote(string text) => "\"" + (text.Length > 60 ? text[..60] + "…" : text) + "\"";

    private static bool TryParseEnum(Type type, string text, out object? value, out string? error)
    {
        foreach (var member in Enum.GetValues(type))
        {
            if (string.Equals(EnumName(member), text, StringComparison.Ordinal))
            {
                value = member;
                error = null;
                return true;
            }
        }

        value = null;
        var names = EnumNames(type).ToList();
        var hint = Suggestions.Closest(text, names);
        error = $"must be one of {string.Join(", ", names)} (got {Quote(text)})" + (hint is null ? "" : $"; did you mean `{hint}`?");
        return false;
    }

    private static string Kebab(string name)
    {
        var builder = new System.Text.StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(name[i]));
        }

        return builder.ToString();
    }
}
