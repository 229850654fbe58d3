using System.Globalization;
using System.Reflection;
using Slipway.Core.Manifest.Yaml;

namespace Slipway.Core.Manifest.Binding;

/// <summary>
/// Binds YAML nodes onto the manifest's section records by their init properties,
/// collecting every error with its place instead of stopping at the first. Unknown
/// keys get a "did you mean" suggestion. Aliases may expand at most
/// <see cref="MaxValues"/> values in all, so an alias bomb is an error, not an outage.
/// </summary>
internal sealed class ManifestBinder
{
    public const int MaxValues = 100_000;

    private readonly List<ManifestError> _errors;
    private readonly List<(IValidatedSpec Spec, string Path)> _validated = [];
    private int _values;
    private bool _tooLarge;

    public ManifestBinder(List<ManifestError> errors) => _errors = errors;

    public SourceMap Map { get; } = new();

    /// <summary>Binding stopped early because aliases expanded too far.</summary>
    public bool Exhausted => _tooLarge;

    public T? Bind<T>(YamlNode root)
        where T : class
    {
        Map.Add("", root.Mark);
        var result = (T?)Bind(root, typeof(T), "");
        foreach (var (spec, path) in _validated)
        {
            spec.Validate(new SpecContext(path, Map, _errors));
        }

        return result;
    }

    private object? Bind(YamlNode node, Type type, string path)
    {
        if (++_values > MaxValues)
        {
            if (!_tooLarge)
            {
                _tooLarge = true;
                _errors.Add(new ManifestError(node.Mark, "", $"expands to more than {MaxValues} values (through aliases?); a manifest is not that large"));
            }

            return null;
        }

        Map.Add(path, node.Mark);
        var underlying = Nullable.GetUnderlyingType(type) ?? type;

        if (node is YamlScalar { IsNull: true })
        {
            return null;
        }

        if (ScalarParsers.TryGet(underlying, out var parser))
        {
            if (node is not YamlScalar scalar)
            {
                return Fail(node, path, $"must be a single value, not {node.KindName}");
            }

            if (!parser(scalar.Value, out var value, out var error))
            {
                return Fail(node, path, error!);
            }

            return value;
        }

        if (SpecShape.IsList(underlying, out var itemType))
        {
            return BindList(node, itemType, path);
        }

        if (SpecShape.IsMap(underlying, out var valueType))
        {
            return BindMap(node, valueType, path);
        }

        if (SpecShape.IsSection(underlying))
        {
            return BindSection(node, underlying, path);
        }

        throw new InvalidOperationException($"The manifest model uses {type}, which the binder cannot read.");
    }

    private object? BindList(YamlNode node, Type itemType, string path)
    {
        if (node is not YamlSequence sequence)
        {
            return Fail(node, path, $"must be a list (got {node.KindName})");
        }

        var list = (System.Collections.IList)Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType))!;
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = Bind(sequence.Items[i], itemType, $"{path}[{i}]");
            if (item is not null)
            {
                list.Add(item);
            }
        }

        return list;
    }

    private object? BindMap(YamlNode node, Type valueType, string path)
    {
        if (node is not YamlMapping mapping)
        {
            return Fail(node, path, $"must be a mapping of names to values (got {node.KindName})");
        }

        var map = (System.Collections.IDictionary)Activator.CreateInstance(typeof(Dictionary<,>).MakeGenericType(typeof(string), valueType), StringComparer.Ordinal)!;
        foreach (var (key, value) in mapping.Entries)
        {
            var childPath = Join(path, key.Value);
            Map.Add(childPath, key.Mark);
            var bound = value is YamlScalar { IsNull: true } && SpecShape.IsSection(valueType)
                ? Activator.CreateInstance(valueType)
                : Bind(value, valueType, childPath);
            if (bound is not null)
            {
                map[key.Value] = bound;
            }
        }

        return map;
    }

    private object? BindSection(YamlNode node, Type type, string path)
    {
        if (node is YamlScalar scalar)
        {
            var fromScalar = type.GetMethod("FromScalar", BindingFlags.Public | BindingFlags.Static);
            if (fromScalar is null)
            {
                return Fail(node, path, $"must be a mapping of keys (got {ScalarParsers.Quote(scalar.Value)})");
            }

            var arguments = new object?[] { scalar.Value, null };
            var result = fromScalar.Invoke(null, arguments);
            if (result is null)
            {
                return Fail(node, path, (string)arguments[1]!);
            }

            Track(result, path);
            return result;
        }

        if (node is not YamlMapping mapping)
        {
            return Fail(node, path, $"must be a mapping of keys (got {node.KindName})");
        }

        var shape = SpecShape.Of(type);
        var section = Activator.CreateInstance(type)!;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            var childPath = Join(path, key.Value);
            if (key.Value.StartsWith("x-", StringComparison.Ordinal))
            {
                // Extension keys, as in Compose files: a home for YAML anchors, ignored otherwise.
                continue;
            }

            if (!shape.ByName.TryGetValue(key.Value, out var specKey))
            {
                var hint = Suggestions.Closest(key.Value, shape.ByName.Keys);
                _errors.Add(new ManifestError(key.Mark, childPath,
                    "is not a known key" + (hint is null ? $" (known: {string.Join(", ", shape.ByName.Keys)})" : $"; did you mean `{hint}`?")));
                continue;
            }

            seen.Add(key.Value);
            var bound = Bind(value, specKey.Property.PropertyType, childPath);
            if (bound is null)
            {
                if (value is YamlScalar { IsNull: true } && specKey.IsRequired)
                {
                    _errors.Add(new ManifestError(key.Mark, childPath, "is required and may not be empty"));
                }

                continue;
            }

            if (specKey.Range is { } range && !InRange(bound, range))
            {
                _errors.Add(new ManifestError(value.Mark, childPath,
                    $"must be between {range.Minimum} and {range.Maximum} (got {Convert.ToString(bound, CultureInfo.InvariantCulture)})"));
                continue;
            }

            specKey.Property.SetValue(section, bound);
        }

        foreach (var specKey in shape.Keys)
        {
            if (specKey.IsRequired && !seen.Contains(specKey.Name))
            {
                _errors.Add(new ManifestError(node.Mark, Join(path, specKey.Name), "is required"));
            }
        }

        Track(section, path);
        return section;
    }

    private void Track(object section, string path)
    {
        if (section is IValidatedSpec validated)
        {
            _validated.Add((validated, path));
        }
    }

    private static bool InRange(object value, System.ComponentModel.DataAnnotations.RangeAttribute range)
    {
        var number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return number >= Convert.ToDouble(range.Minimum, CultureInfo.InvariantCulture)
            && number <= Convert.ToDouble(range.Maximum, CultureInfo.InvariantCulture);
    }

    private object? Fail(YamlNode node, string path, string message)
    {
        _errors.Add(new ManifestError(node.Mark, path, message));
        return null;
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";
}
