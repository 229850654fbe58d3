using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;

namespace Slipway.DemoApp.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task Echo_FiveMegabyteBody_RoundTripsWithContentType()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        var body = new byte[5 * 1024 * 1024];
        new Random(42).NextBytes(body);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-demo");

        using var response = await app.Http.PostAsync("/echo", content);
        var echoed = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-demo", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body.Length, echoed.Length);
        Assert.True(body.AsSpan().SequenceEqual(echoed), "echoed body differs");
    }

    [Fact]
    public async Task Echo_ChunkedUploadOfUnknownLength_StreamsBack()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(new string('x', 100_000))));
        using var request = new HttpRequestMessage(HttpMethod.Put, "/echo") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await app.Http.SendAsync(request);

        Assert.Equal(100_000, (await response.Content.ReadAsStringAsync()).Length);
    }

    [Fact]
    public async Task Sse_CountAndInterval_EventsArriveOneByOne()
    {
        await using var app = await DemoAppProcess.StartListeningAsync(new Dictionary<string, string> { ["DEMO_VERSION"] = "4" });
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);

        using var response = await app.Http.GetAsync("/sse?count=3&intervalMs=700", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        var started = Stopwatch.GetTimestamp();
        var arrivals = new List<TimeSpan>();
        var data = new List<string>();
        while (await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                arrivals.Add(Stopwatch.GetElapsedTime(started));
                data.Add(line["data: ".Length..]);
            }
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["1 version 4", "2 version 4", "3 version 4"], data);
        // Read as they were sent, not all at the end: the first came well before the last.
        Assert.True(arrivals[2] - arrivals[0] >= TimeSpan.FromMilliseconds(1000), string.Join(", ", arrivals));
    }

    [Fact]
    public async Task Sse_Unbounded_StreamEndsCleanlyOnSigterm()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);
        using var response = await app.Http.GetAsync("/sse?count=0&intervalMs=100", HttpCompletionOption.ResponseHeadersRead, deadline.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(deadline.Token));
        await reader.ReadLineAsync(deadline.Token);

        app.SendSigterm();
        await reader.ReadToEndAsync(deadline.Token);

        // Well inside the 30 s shutdown timeout: the stream ended because the app told it to.
        Assert.Equal(0, await app.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task WebSocket_TextAndBinary_EchoedAndCloseMirrored()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{app.Port}/ws"), deadline.Token);

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, true, deadline.Token);
        var (textType, text) = await ReceiveMessageAsync(socket, deadline.Token);
        byte[] binary = [0, 1, 2, 255];
        await socket.SendAsync(binary, WebSocketMessageType.Binary, true, deadline.Token);
        var (binaryType, echoed) = await ReceiveMessageAsync(socket, deadline.Token);
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", deadline.Token);

        Assert.Equal(WebSocketMessageType.Text, textType);
        Assert.Equal("hello", Encoding.UTF8.GetString(text));
        Assert.Equal(WebSocketMessageType.Binary, binaryType);
        Assert.Equal(binary, echoed);
        Assert.Equal(WebSocketState.Closed, socket.State);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
        Assert.Equal("bye", socket.CloseStatusDescription);
    }

    [Fact]
    public async Task WebSocket_Sigterm_ServerClosesWithGoingAway()
    {
        await using var app = await DemoAppProcess.StartListeningAsync();
        using var deadline = new CancellationTokenSource(DemoAppProcess.Timeout);
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{app.Port}/ws"), deadline.Token);

        app.SendSigterm();
        var received = await socket.ReceiveAsync(new byte[64], deadline.Token);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, deadline.Token);

        Assert.Equal(WebSocketMessageType.Close, received.MessageType);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
        Assert.Equal(0, await app.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveMessageAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var message = new MemoryStream();
        var buffer = new byte[1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellationToken);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
