using System.Buffers;
using System.Text;
using Slipway.Proxy.Edge.Waf.Parsing;

namespace Slipway.Proxy.Edge.Waf;

internal static partial class WafInspector
{
    private enum BodyKind
    {
        None,
        Form,
        Json,
        Multipart,
        Text,
    }

    private static bool InspectBody(ReadOnlySpan<char> contentType, ReadOnlySpan<byte> body, ref WafScan scan)
    {
        var kind = Classify(contentType);
        if (body.IsEmpty || kind == BodyKind.None)
        {
            return false;
        }

        body = body[..Math.Min(body.Length, WafLimits.BodyBytes)];
        scan.Work.BodyBytes = body.Length;
        if (kind == BodyKind.Json)
        {
            return InspectJson(body, ref scan);
        }

        var chars = ArrayPool<char>.Shared.Rent(body.Length);
        try
        {
            var text = chars.AsSpan(0, Encoding.UTF8.GetChars(body, chars));
            return kind switch
            {
                BodyKind.Form => InspectPairs(text, WafTargetKind.Body, ref scan),
                BodyKind.Multipart => InspectMultipart(contentType, text, ref scan),
                _ => scan.Value(WafTargetKind.Body, default, text, plusIsSpace: false),
            };
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>True when a body of this type is inspected, so a caller knows whether to read ahead for it.</summary>
    public static bool ReadsBody(ReadOnlySpan<char> contentType) => Classify(contentType) != BodyKind.None;

    /// <summary>Text-like bodies are inspected; binary ones (images, octet-stream, protobuf) are not.</summary>
    private static BodyKind Classify(ReadOnlySpan<char> contentType)
    {
        var end = contentType.IndexOf(';');
        var media = (end < 0 ? contentType : contentType[..end]).Trim(' ');
        if (media.IsEmpty || media.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/xml", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+xml", StringComparison.OrdinalIgnoreCase))
        {
            return media.Equals("text/json", StringComparison.OrdinalIgnoreCase) ? BodyKind.Json : BodyKind.Text;
        }

        if (media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Form;
        }

        if (media.Equals("application/json", StringComparison.OrdinalIgnoreCase) || media.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return BodyKind.Json;
        }

        return media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ? BodyKind.Multipart : BodyKind.None;
    }

    private static bool InspectMultipart(ReadOnlySpan<char> contentType, ReadOnlySpan<char> body, ref WafScan scan)
    {
        Span<char> delimiter = stackalloc char[80];
        var length = MultipartParts.Delimiter(contentType, delimiter);
        if (length == 0)
        {
            return scan.Value(WafTargetKind.Body, default, body, plusIsSpace: false);
        }

        var parts = new MultipartParts(body, delimiter[..length]);
        while (parts.Next(out var name, out var fileName, out var content))
        {
            if (scan.Value(WafTargetKind.Body, name, name, plusIsSpace: false)
                || (fileName.IsEmpty ? scan.Value(WafTargetKind.Body, name, content, plusIsSpace: false) : scan.Value(WafTargetKind.Body, name, fileName, plusIsSpace: false)))
            {
                return true;
            }
        }

        return false;
    }
}
