using Mono.Cecil;
using Mono.Cecil.Cil;
using Slipway.Core.Manifest.Binding;
using Slipway.Core.Manifest.Model;
using Slipway.Core.Manifest.Validation;

namespace Slipway.Core.Tests.Manifest;

/// <summary>
/// Every key does what it says: a key the binder accepts is read by code outside <c>Manifest/</c> (the
/// supervisor, the proxy, the alert engine...), or <c>validate</c> and <c>up</c> refuse it as "not supported yet".
/// Reading in <c>Manifest/</c> (validation, diffs, snapshots) is no effect, so it does not count.
/// </summary>
public sealed partial class ManifestReferenceTests
{
    private const string ManifestNamespace = "Slipway.Core.Manifest";

    [Fact]
    public void EveryKey_IsReadOutsideManifestOrRefused()
    {
        var read = PropertiesReadOutsideManifest();
        var silent = new List<string>();
        foreach (var (path, type, key) in KeysReachableFrom(typeof(AppManifest), ""))
        {
            if (!read.Contains((type.FullName!, key.Property.Name)) && UnsupportedKeys.Find(path) is null)
            {
                silent.Add(path);
            }
        }

        Assert.True(silent.Count == 0,
            "These keys are accepted but nothing outside Manifest/ reads them; make them act, or list them in UnsupportedKeys:\n  "
            + string.Join("\n  ", silent));
    }

    [Fact]
    public void UnsupportedKeys_EachNamesAKeyOfTheModel()
    {
        var paths = KeysReachableFrom(typeof(AppManifest), "").Select(k => k.Path).ToHashSet(StringComparer.Ordinal);
        Assert.All(UnsupportedKeys.All, key => Assert.Contains(key.Path, paths));
    }

    /// <summary>Every key with its path in the wildcard form UnsupportedKeys uses: <c>services.*.routes[].host</c>.</summary>
    private static IEnumerable<(string Path, Type Section, SpecKey Key)> KeysReachableFrom(Type section, string prefix, HashSet<Type>? visiting = null)
    {
        visiting ??= [];
        if (!visiting.Add(section))
        {
            yield break;
        }

        foreach (var key in SpecShape.Of(section).Keys)
        {
            var path = prefix.Length == 0 ? key.Name : $"{prefix}.{key.Name}";
            yield return (path, section, key);
            var type = Nullable.GetUnderlyingType(key.Property.PropertyType) ?? key.Property.PropertyType;
            var childPrefix = path;
            if (SpecShape.IsList(type, out var item))
            {
                (type, childPrefix) = (item, path + "[]");
            }
            else if (SpecShape.IsMap(type, out var value))
            {
                (type, childPrefix) = (value, path + ".*");
            }

            if (SpecShape.IsSection(type) && !ScalarParsers.IsScalar(type))
            {
                foreach (var child in KeysReachableFrom(type, childPrefix, visiting))
                {
                    yield return child;
                }
            }
        }

        visiting.Remove(section);
    }

    /// <summary>
    /// (declaring type, property) for every property getter called in a Slipway assembly outside the Manifest
    /// namespace, directly or through the model's own members (<c>FreezeSpec.FromTime</c> reads <c>From</c>).
    /// </summary>
    private static HashSet<(string Type, string Property)> PropertiesReadOutsideManifest()
    {
        var assemblies = Directory.GetFiles(AppContext.BaseDirectory, "*.dll")
            .Where(f => Path.GetFileName(f) is var name && (name == "slipway.dll" || name.StartsWith("Slipway.", StringComparison.Ordinal))
                && !name.Contains(".Tests", StringComparison.Ordinal) && name != "Slipway.Testing.dll")
            .ToList();
        Assert.Contains(assemblies, f => Path.GetFileName(f) == "slipway.dll");

        var calledOutside = new HashSet<string>(StringComparer.Ordinal);
        var modelCalls = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in assemblies)
        {
            using var module = ModuleDefinition.ReadModule(file);
            foreach (var type in module.GetTypes())
            {
                var ns = OutermostNamespace(type);
                var isModel = ns.StartsWith(ManifestNamespace + ".Model", StringComparison.Ordinal);
                if (!isModel && ns.StartsWith(ManifestNamespace, StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var method in type.Methods.Where(m => m.HasBody))
                {
                    var calls = isModel ? (modelCalls[Key(type.FullName, method.Name)] = []) : null;
                    foreach (var instruction in method.Body.Instructions)
                    {
                        if (instruction.OpCode.OperandType == OperandType.InlineMethod && instruction.Operand is MethodReference called)
                        {
                            var key = Key(called.DeclaringType.GetElementType().FullName, called.Name);
                            if (calls is not null)
                            {
                                calls.Add(key);
                            }
                            else
                            {
                                calledOutside.Add(key);
                            }
                        }
                    }
                }
            }
        }

        // What the model's members called from outside read in turn.
        var reached = new HashSet<string>(calledOutside, StringComparer.Ordinal);
        var pending = new Queue<string>(calledOutside.Where(modelCalls.ContainsKey));
        while (pending.TryDequeue(out var method))
        {
            foreach (var callee in modelCalls[method])
            {
                if (reached.Add(callee) && modelCalls.ContainsKey(callee))
                {
                    pending.Enqueue(callee);
                }
            }
        }

        var read = new HashSet<(string, string)>();
        foreach (var method in reached)
        {
            var separator = method.IndexOf("::", StringComparison.Ordinal);
            var name = method[(separator + 2)..];
            if (name.StartsWith("get_", StringComparison.Ordinal))
            {
                read.Add((method[..separator], name[4..]));
            }
        }

        return read;
    }

    private static string Key(string type, string method) => type.Replace('/', '+') + "::" + method;

    private static string OutermostNamespace(TypeDefinition type)
    {
        while (type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type.Namespace;
    }
}
