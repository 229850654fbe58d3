using System.Globalization;
using System.Reflection;
using Slipway.Core.Manifest;
using Slipway.Core.Manifest.Yaml;
using Slipway.Core.Primitives;

namespace Slipway.Server.Cost;

/// <summary>
/// Reads a price table. Every key is required and no other is allowed, so a replaced table cannot silently price
/// something at 0; each problem names its <c>file:line:col</c>, all of them together.
/// </summary>
internal static class PriceTableReader
{
    /// <summary>How the embedded default names itself in errors and output.</summary>
    public const string DefaultName = "the default price table";

    /// <summary>The embedded default table.</summary>
    public static PriceTable Default()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("cost/default-prices.yaml")
            ?? throw new InvalidOperationException("the default price table is not embedded");
        using var reader = new StreamReader(stream);
        return Read(reader.ReadToEnd(), DefaultName, out var errors) ?? throw new InvalidOperationException(string.Join("\n", errors));
    }

    /// <returns>The table, or null with every problem in <paramref name="errors"/>.</returns>
    public static PriceTable? Read(string text, string file, out IReadOnlyList<string> errors)
    {
        var found = new List<string>();
        errors = found;
        var read = YamlReader.Read(text);
        if (read.Errors.Count > 0 || read.Root is not YamlMapping root)
        {
            found.AddRange(read.Errors.Count > 0 ? read.Errors.Select(e => e.Format(file)) : [$"{file}:1:1: must be a mapping of prices (source, date, currency, ...)"]);
            return null;
        }

        var top = new Keys(root, "", file, found);
        var compute = top.Mapping("compute");
        var storage = top.Mapping("storage");
        var kubernetes = top.Mapping("kubernetes");
        var assumed = top.Mapping("assumed");
        var table = new PriceTable(
            top.Text("source"), top.Text("date"), top.Text("currency"), top.Number("hoursPerMonth"),
            compute.Number("cpuHour"), compute.Number("memoryGbHour"),
            storage.Number("disk"), storage.Number("object"),
            top.Number("egressGb"),
            Node(kubernetes),
            new CostAssumptions(assumed.Number("cpu"), assumed.Size("memory"), assumed.Number("rpsPer1kUsers"), assumed.Size("bytesPerRequest"), assumed.Size("state"), assumed.Size("backup")));
        foreach (var keys in new[] { top, compute, storage, kubernetes, assumed })
        {
            keys.RefuseUnknown();
        }

        return found.Count == 0 ? table : null;
    }

    private static NodeShape Node(Keys kubernetes)
    {
        var node = kubernetes.Text("node");
        var shapes = kubernetes.Mapping("shapes");
        var chosen = new NodeShape(node, 0, default, 0);
        foreach (var name in shapes.Names())
        {
            var shape = shapes.Mapping(name);
            var read = new NodeShape(name, shape.Number("cpu"), shape.Size("memory"), shape.Number("hourly"));
            shape.RefuseUnknown();
            if (name == node)
            {
                chosen = read;
            }
        }

        if (node.Length > 0 && !shapes.Names().Contains(node))
        {
            kubernetes.Error("node", $"names no shape in kubernetes.shapes (got \"{node}\")");
        }

        return chosen;
    }

    /// <summary>One mapping's keys: each read is marked used; what is left over is an error.</summary>
    private sealed class Keys(YamlMapping? mapping, string path, string file, List<string> errors)
    {
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public IEnumerable<string> Names() => mapping?.Entries.Select(e => e.Key.Value) ?? [];

        public Keys Mapping(string key) => Find(key) switch
        {
            YamlMapping m => new Keys(m, Path(key), file, errors),
            null => new Keys(null, Path(key), file, errors),
            var other => Wrong(other, key, "a mapping"),
        };

        public string Text(string key) => Find(key) switch
        {
            YamlScalar { IsNull: false } s => s.Value,
            null => "",
            var other => Wrong(other, key, "a value", ""),
        };

        public double Number(string key)
        {
            var node = Find(key);
            if (node is YamlScalar s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0 && double.IsFinite(value))
            {
                return value;
            }

            return node is null ? 0 : Wrong(node, key, "a number of 0 or more", 0.0);
        }

        public ByteSize Size(string key)
        {
            var node = Find(key);
            if (node is YamlScalar s && ByteSize.TryParse(s.Value, out var size, out _))
            {
                return size;
            }

            return node is null ? default : Wrong(node, key, "a size such as 512MB", default(ByteSize));
        }

        public void Error(string key, string message) =>
            errors.Add(new ManifestError(Find(key)?.Mark ?? mapping?.Mark ?? SourceMark.Start, Path(key), message).Format(file));

        public void RefuseUnknown()
        {
            foreach (var (key, _) in mapping?.Entries ?? [])
            {
                if (!_used.Contains(key.Value))
                {
                    errors.Add(new ManifestError(key.Mark, Path(key.Value), "is not a price table key").Format(file));
                }
            }
        }

        private YamlNode? Find(string key)
        {
            _used.Add(key);
            var node = mapping?.Entries.FirstOrDefault(e => e.Key.Value == key).Value;
            if (node is null && mapping is not null)
            {
                errors.Add(new ManifestError(mapping.Mark, Path(key), "is required").Format(file));
            }

            return node;
        }

        private string Path(string key) => path.Length == 0 ? key : $"{path}.{key}";

        private Keys Wrong(YamlNode node, string key, string what) => Wrong(node, key, what, new Keys(null, Path(key), file, errors));

        private T Wrong<T>(YamlNode node, string key, string what, T fallback)
        {
            var got = node is YamlScalar s ? $"\"{s.Value}\"" : node.KindName;
            errors.Add(new ManifestError(node.Mark, Path(key), $"must be {what} (got {got})").Format(file));
            return fallback;
        }
    }
}
