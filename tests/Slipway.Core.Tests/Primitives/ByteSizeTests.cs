using Slipway.Core.Primitives;

namespace Slipway.Core.Tests.Primitives;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("0", 0L)]
    [InlineData("0B", 0L)]
    [InlineData("1024", 1024L)]
    [InlineData("512B", 512L)]
    [InlineData("512b", 512L)]
    [InlineData("1KB", 1024L)]
    [InlineData("1kb", 1024L)]
    [InlineData("1Kb", 1024L)]
    [InlineData("1KiB", 1024L)]
    [InlineData("1kib", 1024L)]
    [InlineData("10MB", 10L * 1024 * 1024)]
    [InlineData("10MiB", 10L * 1024 * 1024)]
    [InlineData("2GB", 2L * 1024 * 1024 * 1024)]
    [InlineData("2GiB", 2L * 1024 * 1024 * 1024)]
    [InlineData("1TB", 1L << 40)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("1.5KB", 1536L)]
    [InlineData("0.5MB", 512L * 1024)]
    [InlineData(" 1KB ", 1024L)]
    [InlineData("8388607TB", 8388607L << 40)]
    [InlineData("9223372036854775807", long.MaxValue)]
    public void TryParse_Valid_ReturnsBytes(string text, long bytes)
    {
        Assert.True(ByteSize.TryParse(text, out var value, out var error), error);
        Assert.Null(error);
        Assert.Equal(new ByteSize(bytes), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("KB")]
    [InlineData("10XB")]
    [InlineData("10 MB")]
    [InlineData("10K")]
    [InlineData("10M")]
    [InlineData("10Mi")]
    [InlineData("10PB")]
    [InlineData("1e3")]
    [InlineData(".5KB")]
    [InlineData("5.KB")]
    [InlineData("1.2.3KB")]
    [InlineData("+5KB")]
    [InlineData("ten")]
    [InlineData("10MBs")]
    public void TryParse_NotASize_FailsWithExampleAndInput(string text)
    {
        Assert.False(ByteSize.TryParse(text, out var value, out var error));
        Assert.Equal(default, value);
        Assert.Equal($"must be a size like 512B, 1KB, 10MB or 2GB (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("-1KB")]
    [InlineData("-0")]
    public void TryParse_Negative_FailsSayingSo(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Equal($"must not be negative (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("8388608TB")]
    [InlineData("9223372036854775808")]
    [InlineData("99999999999999999999999999999999999TB")]
    public void TryParse_Overflow_FailsTooLarge(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Equal($"is too large (got \"{text}\")", error);
    }

    [Theory]
    [InlineData("1.5B")]
    [InlineData("0.0001KB")]
    public void TryParse_FractionOfAByte_Fails(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Equal($"must be a whole number of bytes (got \"{text}\")", error);
    }

    [Theory]
    [InlineData(0L, "0B")]
    [InlineData(1L, "1B")]
    [InlineData(512L, "512B")]
    [InlineData(1024L, "1KB")]
    [InlineData(1536L, "1536B")]
    [InlineData(10L * 1024 * 1024, "10MB")]
    [InlineData(1536L * 1024, "1536KB")]
    [InlineData(2L * 1024 * 1024 * 1024, "2GB")]
    [InlineData(3L << 40, "3TB")]
    [InlineData(long.MaxValue, "9223372036854775807B")]
    public void ToString_UsesLargestExactUnit(long bytes, string expected)
    {
        Assert.Equal(expected, new ByteSize(bytes).ToString());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1536L)]
    [InlineData(10L * 1024 * 1024)]
    [InlineData(long.MaxValue)]
    public void ToString_ThenTryParse_RoundTrips(long bytes)
    {
        Assert.True(ByteSize.TryParse(new ByteSize(bytes).ToString(), out var parsed, out _));
        Assert.Equal(bytes, parsed.Bytes);
    }
}
