using Slipway.Proxy.Edge.Waf.Normalization;

namespace Slipway.Proxy.Tests.Edge.Waf.Normalization;

public sealed class PercentDecoderTests
{
    [Theory]
    [InlineData("%27%20OR", "' OR")]
    [InlineData("%2527", "%27")]
    [InlineData("caf%C3%A9", "café")]
    [InlineData("%e2%82%ac5", "€5")]
    [InlineData("%c0%af", "/")]
    [InlineData("%c0%ae%c0%ae", "..")]
    [InlineData("%e0%80%af", "/")]
    [InlineData("%c1%9c", "\\")]
    [InlineData("%u2215%u002e", "∕.")]
    [InlineData("%bf%27", "¿'")]
    [InlineData("%e2%82", "â\u0082")]
    [InlineData("50% off %zz %2", "50% off %zz %2")]
    [InlineData("%00x", "\0x")]
    public void Decode_Escapes_DecodeLikeALenientServer(string input, string expected)
    {
        Assert.Equal(expected, Decode(input, plusIsSpace: false, out var decoded));
        Assert.Equal(input != expected, decoded);
    }

    [Fact]
    public void Decode_Plus_IsASpaceOnlyInFormEncoding()
    {
        Assert.Equal("a b", Decode("a+b", plusIsSpace: true, out _));
        Assert.Equal("a+b", Decode("a+b", plusIsSpace: false, out _));
        Assert.Equal("a+b", Decode("a%2Bb", plusIsSpace: true, out _));
    }

    private static string Decode(string input, bool plusIsSpace, out bool decoded)
    {
        var output = new char[input.Length];
        return new string(output, 0, PercentDecoder.Decode(input, output, plusIsSpace, out decoded));
    }
}
