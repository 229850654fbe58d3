namespace Slipway.Proxy.FastPath;

/// <summary>A backend's response head as offsets into the backend connection's buffer; reused per client connection.</summary>
internal sealed class ResponseHead
{
    public const int MaxHeaders = 256;

    public HeaderLine[] Headers { get; } = new HeaderLine[MaxHeaders];

    public int HeaderCount { get; set; }

    /// <summary>Bytes of the head, its empty line included.</summary>
    public int Length { get; set; }

    public int Status { get; set; }

    /// <summary>The body's length, or -1 when it is chunked or runs to the connection's end.</summary>
    public long ContentLength { get; set; }

    public bool Chunked { get; set; }

    /// <summary>The backend will not take another request on this connection.</summary>
    public bool Close { get; set; }

    public bool HasDate { get; set; }

    public void Clear()
    {
        HeaderCount = 0;
        Length = 0;
        Status = 0;
        ContentLength = -1;
        Chunked = false;
        Close = false;
        HasDate = false;
    }
}
