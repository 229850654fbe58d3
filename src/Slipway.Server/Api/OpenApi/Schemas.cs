using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Slipway.Server.Api.OpenApi;

/// <summary>
/// JSON schemas (the OpenAPI 3.0 subset) for what endpoints take and return: written out for anonymous
/// answers, derived with <see cref="Of{T}"/> from the records the API serialises. Objects are closed
/// (<c>additionalProperties: false</c>) and list every property as required, because <see cref="ApiJson"/>
/// writes every property, null or not; that is what lets a test catch a field added without its schema.
/// </summary>
internal static class Schemas
{
    private const int MaxDepth = 8;

    public static JsonObject String() => new() { ["type"] = "string" };

    public static JsonObject Integer() => new() { ["type"] = "integer" };

    public static JsonObject Number() => new() { ["type"] = "number" };

    public static JsonObject Boolean() => new() { ["type"] = "boolean" };

    public static JsonObject DateTime() => new() { ["type"] = "string", ["format"] = "date-time" };

    public static JsonObject Enum(IEnumerable<string> values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]) };

    public static JsonObject Array(JsonObject items) => new() { ["type"] = "array", ["items"] = items };

    /// <summary>Any JSON object (a document whose shape is not Slipway's to fix, like this OpenAPI document).</summary>
    public static JsonObject AnyObject() => new() { ["type"] = "object", ["additionalProperties"] = true };

    /// <summary>An object whose keys are free and whose values all have one schema.</summary>
    public static JsonObject Map(JsonObject values) => new() { ["type"] = "object", ["additionalProperties"] = values };

    public static JsonObject Nullable(JsonObject schema)
    {
        schema["nullable"] = true;
        return schema;
    }

    /// <summary>A closed object with exactly these properties, all present.</summary>
    public static JsonObject Object(params (string Name, JsonObject Schema)[] properties)
    {
        var members = new JsonObject();
        foreach (var (name, schema) in properties)
        {
            members[name] = schema;
        }

        return new JsonObject
        {
            ["type"] = "object",
            ["properties"] = members,
            ["required"] = new JsonArray([.. properties.Select(p => JsonValue.Create(p.Name))]),
            ["additionalProperties"] = false,
        };
    }

    /// <summary>The schema of <typeparamref name="T"/> as <see cref="ApiJson"/> writes it: camelCase, enums as kebab-case words.</summary>
    public static JsonObject Of<T>() => Of(typeof(T), nullable: false, depth: 0);

    /// <summary>The properties <see cref="Of{T}"/> gives a record, to extend into a larger object.</summary>
    public static (string Name, JsonObject Schema)[] PropertiesOf<T>() => PropertiesOf(typeof(T), 0);

    private static JsonObject Of(Type type, bool nullable, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new InvalidOperationException($"{type} nests deeper than {MaxDepth}; describe it by hand");
        }

        if (System.Nullable.GetUnderlyingType(type) is { } underlying)
        {
            return Of(underlying, nullable: true, depth);
        }

        var schema = type switch
        {
            _ when type == typeof(string) => String(),
            _ when type == typeof(bool) => Boolean(),
            _ when type == typeof(int) || type == typeof(long) || type == typeof(short) => Integer(),
            _ when type == typeof(double) || type == typeof(float) || type == typeof(decimal) => Number(),
            _ when type == typeof(DateTimeOffset) || type == typeof(System.DateTime) => DateTime(),
            _ when type == typeof(TimeSpan) => String(),
            _ when type.IsEnum => Enum(System.Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName)),
            _ when Dictionary(type) is { } values => Map(Of(values, nullable: false, depth + 1)),
            _ when Element(type) is { } item => Array(Of(item, nullable: false, depth + 1)),
            _ => Object(PropertiesOf(type, depth)),
        };
        return nullable ? Nullable(schema) : schema;
    }

    private static (string Name, JsonObject Schema)[] PropertiesOf(Type type, int depth)
    {
        var nullability = new NullabilityInfoContext();
        return [.. type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                Of(p.PropertyType, nullability.Create(p).ReadState == NullabilityState.Nullable, depth + 1)))];
    }

    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type)
            .FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))
            ?.GetGenericArguments()[1];

    private static Type? Element(Type type) =>
        type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type)
            ? type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0]
            : null;
}
