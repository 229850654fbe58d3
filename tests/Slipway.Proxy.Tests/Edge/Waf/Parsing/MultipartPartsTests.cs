using Slipway.Proxy.Edge.Waf.Parsing;

namespace Slipway.Proxy.Tests.Edge.Waf.Parsing;

public sealed class MultipartPartsTests
{
    private const string Body =
        "--b0\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nQ3 report\r\n"
        + "--b0\r\nContent-Disposition: form-data; name=\"file\"; filename=\"q3.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.7\r\n"
        + "--b0--\r\n";

    [Fact]
    public void Next_FieldsAndUploads_YieldNamesValuesAndFileNames()
    {
        Span<char> delimiter = stackalloc char[16];
        var parts = new MultipartParts(Body, delimiter[..MultipartParts.Delimiter("multipart/form-data; boundary=b0", delimiter)]);

        Assert.True(parts.Next(out var name, out var fileName, out var content));
        Assert.Equal(("title", "", "Q3 report"), (name.ToString(), fileName.ToString(), content.ToString()));
        Assert.True(parts.Next(out name, out fileName, out _));
        Assert.Equal(("file", "q3.pdf"), (name.ToString(), fileName.ToString()));
        Assert.False(parts.Next(out _, out _, out _));
    }

    [Fact]
    public void Next_BodyCutOffInAPart_YieldsWhatArrived()
    {
        Span<char> delimiter = stackalloc char[16];
        var parts = new MultipartParts(Body.AsSpan(0, 60), delimiter[..MultipartParts.Delimiter("multipart/form-data; boundary=\"b0\"", delimiter)]);

        Assert.True(parts.Next(out var name, out _, out var content));
        Assert.Equal(("title", "Q3 rep"), (name.ToString(), content.ToString()));
        Assert.False(parts.Next(out _, out _, out _));
    }

    [Theory]
    [InlineData("multipart/form-data")]
    [InlineData("multipart/form-data; boundary=")]
    public void Delimiter_NoBoundary_IsEmpty(string contentType) =>
        Assert.Equal(0, MultipartParts.Delimiter(contentType, new char[16]));
}
