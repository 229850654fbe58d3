using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;

namespace Slipway.Core.Manifest.Binding;

/// <summary>The keys a section type accepts: its init properties, named in camelCase.</summary>
internal sealed class SpecShape
{
    private static readonly ConcurrentDictionary<Type, SpecShape> Cache = new();

    private SpecShape(Type type)
    {
        // One context per shape: NullabilityInfoContext caches without locks, and GetOrAdd may build shapes on several threads at once.
        var nullability = new NullabilityInfoContext();
        var keys = new List<SpecKey>();
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.GetIndexParameters().Length > 0 || property.Name == "EqualityContract")
            {
                continue;
            }

            keys.Add(new SpecKey(
                KeyName(property.Name),
                property,
                nullability.Create(property).WriteState == NullabilityState.Nullable,
                property.GetCustomAttribute<RequiredAttribute>() is not null,
                property.GetCustomAttribute<RangeAttribute>()));
        }

        Keys = keys;
        ByName = keys.ToDictionary(k => k.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SpecKey> Keys { get; }

    public IReadOnlyDictionary<string, SpecKey> ByName { get; }

    public static SpecShape Of(Type type) => Cache.GetOrAdd(type, t => new SpecShape(t));

    public static bool IsSection(Type type) =>
        type.IsClass && type != typeof(string) && !type.IsAbstract && type.GetConstructor(Type.EmptyTypes) is not null
        && !IsList(type, out _) && !IsMap(type, out _);

    public static bool IsList(Type type, out Type item)
    {
        item = typeof(object);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyList<>))
        {
            item = type.GetGenericArguments()[0];
            return true;
        }

        return false;
    }

    public static bool IsMap(Type type, out Type value)
    {
        value = typeof(object);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)
            && type.GetGenericArguments()[0] == typeof(string))
        {
            value = type.GetGenericArguments()[1];
            return true;
        }

        return false;
    }

    /// <summary><c>MaxInFlight</c> → <c>maxInFlight</c>.</summary>
    public static string KeyName(string propertyName) =>
        char.ToLowerInvariant(propertyName[0]) + propertyName[1..];
}
