using Microsoft.AspNetCore.Http;

namespace Slipway.Proxy.FastPath;

/// <summary>
/// One parsed HTTP/1.1 request head, copied out of the connection's pipe into a buffer the connection keeps, with
/// every part an offset into it: parsing a request allocates nothing. Reused for every request on a connection.
/// </summary>
internal sealed class RequestHead
{
    /// <summary>Heads longer than this go to the general path (which applies the configured header limit).</summary>
    public const int MaxLength = 8 * 1024;

    public const int MaxHeaders = 64;

    public byte[] Buffer { get; } = new byte[MaxLength];

    public HeaderLine[] Headers { get; } = new HeaderLine[MaxHeaders];

    /// <summary>Bytes of the head, its final empty line included.</summary>
    public int Length { get; set; }

    public int HeaderCount { get; set; }

    /// <summary>One of <see cref="HttpMethods"/>' interned strings.</summary>
    public string Method { get; set; } = HttpMethods.Get;

    public int TargetStart { get; set; }

    public int TargetLength { get; set; }

    /// <summary>The target's path (before any <c>?</c>): a prefix of the target.</summary>
    public int PathLength { get; set; }

    /// <summary>Index of the Host line in <see cref="Headers"/>.</summary>
    public int Host { get; set; } = -1;

    /// <summary>Index of a usable client <c>X-Request-Id</c>, or -1.</summary>
    public int RequestId { get; set; } = -1;

    /// <summary>The client asked to close the connection after this request.</summary>
    public bool Close { get; set; }

    /// <summary>How the request's body is framed (none, Content-Length or chunked).</summary>
    public BodyFraming Framing { get; set; }

    /// <summary>The Content-Length value; for a chunked body, the payload's length once <see cref="RequestBodyReader"/> read it.</summary>
    public long BodyLength { get; set; }

    /// <summary>Bytes the body takes on the client's connection after the head (its chunk framing included).</summary>
    public long WireLength { get; set; }

    /// <summary>Index of the Content-Length line, or -1.</summary>
    public int ContentLength { get; set; } = -1;

    /// <summary>The request has fields only a request with a body keeps (Content-Type and the like): it needs one.</summary>
    public bool HasContentFields { get; set; }

    public ReadOnlySpan<byte> Target => Buffer.AsSpan(TargetStart, TargetLength);

    public ReadOnlySpan<byte> Path => Buffer.AsSpan(TargetStart, PathLength);

    public ReadOnlySpan<byte> Name(int index) => Buffer.AsSpan(Headers[index].NameStart, Headers[index].NameLength);

    public ReadOnlySpan<byte> Value(int index) => Buffer.AsSpan(Headers[index].ValueStart, Headers[index].ValueLength);

    public void Clear()
    {
        Length = 0;
        HeaderCount = 0;
        Host = -1;
        RequestId = -1;
        Close = false;
        Framing = BodyFraming.None;
        BodyLength = 0;
        WireLength = 0;
        ContentLength = -1;
        HasContentFields = false;
    }
}
