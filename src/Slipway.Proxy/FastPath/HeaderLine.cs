namespace Slipway.Proxy.FastPath;

/// <summary>One request header line as offsets into <see cref="RequestHead.Buffer"/>, and whether it is forwarded.</summary>
internal readonly record struct HeaderLine(int NameStart, int NameLength, int ValueStart, int ValueLength, bool Forward);
