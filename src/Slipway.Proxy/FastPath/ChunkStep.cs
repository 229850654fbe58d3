namespace Slipway.Proxy.FastPath;

/// <summary>What <see cref="ChunkDecoder.Next"/> found.</summary>
internal enum ChunkStep
{
    /// <summary>Framing bytes to drop (a size line, a chunk's CRLF, a trailer).</summary>
    Skip,

    /// <summary>Payload bytes.</summary>
    Data,

    NeedMore,

    /// <summary>The last chunk and the trailer section ended.</summary>
    Done,

    Error,
}
