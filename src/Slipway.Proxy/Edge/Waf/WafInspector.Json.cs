using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Slipway.Proxy.Edge.Waf;

internal static partial class WafInspector
{
    private const int JsonPathChars = 256;

    private static readonly JsonReaderOptions JsonOptions = new()
    {
        MaxDepth = WafLimits.JsonDepth,
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>
    /// Every property name and string value, unescaped (so <c>\u0027</c> is a quote), named by its
    /// dotted path. Numbers, booleans and nulls carry no attack. Malformed or too deeply nested
    /// JSON is inspected as plain text instead: the backend may be more lenient than this reader.
    /// </summary>
    private static bool InspectJson(ReadOnlySpan<byte> body, ref WafScan scan)
    {
        var path = ArrayPool<char>.Shared.Rent(JsonPathChars);
        Span<int> containers = stackalloc int[WafLimits.JsonDepth + 1];
        try
        {
            // Not the final block: the body may have been cut at the inspection limit.
            var reader = new Utf8JsonReader(body, isFinalBlock: false, new JsonReaderState(JsonOptions));
            var depth = 0;
            var pathLength = 0;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        containers[depth++] = pathLength;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        pathLength = containers[--depth];
                        break;
                    case JsonTokenType.PropertyName:
                        pathLength = AppendName(ref reader, path, depth > 0 ? containers[depth - 1] : 0, ref scan, out var matched);
                        if (matched)
                        {
                            return true;
                        }

                        break;
                    case JsonTokenType.String when InspectJsonString(ref reader, path.AsSpan(0, pathLength), ref scan):
                        return true;
                }
            }

            return false;
        }
        catch (JsonException)
        {
            return InspectJsonAsText(body, ref scan);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(path);
        }
    }

    /// <summary>Sets the path to the container's path plus this property's name, inspects the name, and returns the new length.</summary>
    private static int AppendName(ref Utf8JsonReader reader, char[] path, int containerLength, ref WafScan scan, out bool matched)
    {
        var chars = ArrayPool<char>.Shared.Rent(reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length);
        try
        {
            var name = chars.AsSpan(0, reader.CopyString(chars));
            var length = containerLength;
            if (length > 0 && length < path.Length)
            {
                path[length++] = '.';
            }

            var copied = Math.Min(name.Length, path.Length - length);
            name[..copied].CopyTo(path.AsSpan(length));
            length += copied;
            matched = scan.Value(WafTargetKind.Body, path.AsSpan(0, length), name, plusIsSpace: false);
            return length;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static bool InspectJsonString(ref Utf8JsonReader reader, ReadOnlySpan<char> path, ref WafScan scan)
    {
        var chars = ArrayPool<char>.Shared.Rent(reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length);
        try
        {
            return scan.Value(WafTargetKind.Body, path, chars.AsSpan(0, reader.CopyString(chars)), plusIsSpace: false);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static bool InspectJsonAsText(ReadOnlySpan<byte> body, ref WafScan scan)
    {
        var chars = ArrayPool<char>.Shared.Rent(body.Length);
        try
        {
            return scan.Value(WafTargetKind.Body, default, chars.AsSpan(0, Encoding.UTF8.GetChars(body, chars)), plusIsSpace: false);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}
