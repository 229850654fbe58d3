using System.Buffers;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Slipway.Server.Api.Contracts;

namespace Slipway.Server.Api;

/// <summary>
/// A handler's JSON body bound to the contract record <typeparamref name="T"/>. Nothing is refused here: a body that is
/// not a JSON object is <see cref="Unreadable"/>, and a field of the wrong JSON type is left at its default in
/// <see cref="Value"/> and remembered, so the handler decides what comes first (an unknown service is a 404 whatever
/// the body) and reports every wrong field at once. A nullable parameter makes the body optional (no body: null).
/// Binding metadata documents the body in the OpenAPI document.
/// </summary>
internal sealed class RequestBody<T> : IBindableFromHttpContext<RequestBody<T>>, IEndpointParameterMetadataProvider
    where T : class
{
    /// <summary>Wrong-typed fields by their name on the wire: the JSON they held, and what they must be instead.</summary>
    private readonly Dictionary<string, (string Json, string Problem)> _wrongType;

    private RequestBody(T? value, ProblemHttpResult? unreadable, Dictionary<string, (string Json, string Problem)> wrongType)
    {
        Value = value;
        Unreadable = unreadable;
        _wrongType = wrongType;
    }

    /// <summary>The record; null only when <see cref="Unreadable"/> is set.</summary>
    public T? Value { get; }

    /// <summary>The answer for a body that is not a JSON object at all.</summary>
    public ProblemHttpResult? Unreadable { get; }

    /// <summary>The JSON a field held when it was of the wrong type (and so is at its default in <see cref="Value"/>); else null.</summary>
    public string? WrongType(string field) => _wrongType.TryGetValue(field, out var wrong) ? wrong.Json : null;

    /// <summary>
    /// Adds <paramref name="field"/>'s problem in the caller's order: <paramref name="message"/>, unless the field is
    /// valid and of the right type. The message speaks for a wrong type too (see <see cref="WrongType"/>).
    /// </summary>
    public void Check(Dictionary<string, string[]> errors, string field, bool valid, string message)
    {
        if (!valid || _wrongType.ContainsKey(field))
        {
            errors[field] = [message];
        }
    }

    /// <summary>The 400 for <paramref name="errors"/> and then the wrong-typed fields not checked; null when there are none.</summary>
    public ProblemHttpResult? Invalid(Dictionary<string, string[]> errors)
    {
        foreach (var (field, wrong) in _wrongType)
        {
            errors.TryAdd(field, [wrong.Problem]);
        }

        return errors.Count > 0 ? Problems.Invalid(errors) : null;
    }

    public static async ValueTask<RequestBody<T>?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        if (IsOptional(parameter) && context.Request.ContentLength is null or 0 && context.Request.Headers.TransferEncoding.Count == 0)
        {
            return null;
        }

        var (body, problem) = await JsonBody.ReadObjectAsync(context).ConfigureAwait(false);
        return problem is not null ? new RequestBody<T>(null, problem, []) : Bind(body);
    }

    public static void PopulateMetadata(ParameterInfo parameter, EndpointBuilder builder) =>
        builder.Metadata.Add(new AcceptsMetadata([ApiContentTypes.Json], typeof(T), IsOptional(parameter)));

    /// <summary>Binds a JSON object: each field that will not convert is reported and dropped, and the rest bound again.</summary>
    internal static RequestBody<T> Bind(JsonElement body)
    {
        var info = ApiJson.Info<T>();
        var wrongType = new Dictionary<string, (string Json, string Problem)>(StringComparer.Ordinal);
        var fields = body;
        while (true)
        {
            try
            {
                return new RequestBody<T>(fields.Deserialize(info), null, wrongType);
            }
            catch (JsonException e) when (Field(e.Path) is { } name && !wrongType.ContainsKey(name) && body.TryGetProperty(name, out var value))
            {
                var json = value.GetRawText();
                wrongType[name] = (json, $"must be {Expected(info, name)} (got {json})");
                fields = Without(body, wrongType.Keys);
            }
        }
    }

    private static JsonElement Without(JsonElement body, IEnumerable<string> names)
    {
        var dropped = names.ToHashSet(StringComparer.Ordinal);
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in body.EnumerateObject().Where(p => !dropped.Contains(p.Name)))
            {
                property.WriteTo(writer);
            }

            writer.WriteEndObject();
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    private static bool IsOptional(ParameterInfo parameter) => new NullabilityInfoContext().Create(parameter).ReadState == NullabilityState.Nullable;

    /// <summary>The top-level field a path such as <c>$.matchers[0]</c> names.</summary>
    private static string? Field(string? path)
    {
        if (path is null || !path.StartsWith("$.", StringComparison.Ordinal))
        {
            return null;
        }

        var end = path.AsSpan(2).IndexOfAny('.', '[');
        return end < 0 ? path[2..] : path.Substring(2, end);
    }

    private static string Expected(JsonTypeInfo info, string name)
    {
        var property = info.Properties.First(p => p.Name == name);
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        return property.CustomConverter is RevisionNumberConverter ? "a revision number"
            : type == typeof(bool) ? "true or false"
            : type == typeof(int) || type == typeof(long) ? "a whole number"
            : type == typeof(string) ? "a string"
            : type == typeof(IReadOnlyList<string>) ? "a list of strings"
            : $"a {type.Name}";
    }
}
