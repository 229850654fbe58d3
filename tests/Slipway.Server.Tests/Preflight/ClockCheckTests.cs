using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Slipway.Server.Preflight;
using Slipway.Server.Preflight.Checks;
using Slipway.Testing;

namespace Slipway.Server.Tests.Preflight;

/// <summary>
/// SNTP over a real loopback UDP socket: a small server answers with its clock a set amount ahead of the test clock
/// (which does not move, so the round trip adds nothing), or does not answer at all.
/// </summary>
public sealed class ClockCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData(0.2, "ok", "behind 127.0.0.1:{0} by 200ms")]
    [InlineData(-2, "warn", "ahead of 127.0.0.1:{0} by 2000ms")]
    [InlineData(30, "fail", "behind 127.0.0.1:{0} by 30000ms")]
    public async Task RunAsync_ServerAheadOrBehind_JudgedByTheOffset(double serverAheadSeconds, string expected, string evidence)
    {
        using var server = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)server.Client.LocalEndPoint!).Port;
        var answering = AnswerOnceAsync(server, TestClock.Start.AddSeconds(serverAheadSeconds));
        var context = PreflightSetup.Context(_dir, Manifest, TestClock.Create()) with { NtpServer = $"127.0.0.1:{port}", Timeout = TimeSpan.FromSeconds(30) };

        var finding = Assert.Single(await PreflightSetup.RunAsync(new ClockCheck(), context));
        await answering;

        Assert.Equal((Enum.Parse<PreflightStatus>(expected, ignoreCase: true), string.Format(System.Globalization.CultureInfo.InvariantCulture, evidence, port)), (finding.Status, finding.Evidence));
    }

    [Fact]
    public async Task RunAsync_ServerSilent_SkippedWithTheReasonWithinTheTimeout()
    {
        using var silent = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)silent.Client.LocalEndPoint!).Port;
        var context = PreflightSetup.Context(_dir, Manifest, TimeProvider.System) with { NtpServer = $"127.0.0.1:{port}", Timeout = TimeSpan.FromMilliseconds(300) };

        var finding = Assert.Single(await PreflightSetup.RunAsync(new ClockCheck(), context));

        Assert.Equal((PreflightStatus.Skipped, $"skipped: 127.0.0.1:{port} did not answer within 0.3s"), (finding.Status, finding.Evidence));
    }

    [Fact]
    public async Task RunAsync_NoServer_SkippedSayingSo()
    {
        var finding = Assert.Single(await PreflightSetup.RunAsync(new ClockCheck(), PreflightSetup.Context(_dir, Manifest, TestClock.Create())));

        Assert.Equal((PreflightStatus.Skipped, "skipped: no NTP server to ask"), (finding.Status, finding.Evidence));
    }

    public void Dispose() => _dir.Dispose();

    private const string Manifest = "app: shop\nservices:\n  web: { upstream: [\"127.0.0.1:9\"] }\n";

    /// <summary>A stratum-1 answer: the request's transmit time as origin, <paramref name="serverTime"/> as receive and transmit.</summary>
    private static async Task AnswerOnceAsync(UdpClient server, DateTimeOffset serverTime)
    {
        var request = await server.ReceiveAsync();
        var answer = new byte[48];
        answer[0] = 0x24; // version 4, mode 4 (server)
        answer[1] = 1;
        request.Buffer.AsSpan(40, 8).CopyTo(answer.AsSpan(24));
        SntpQuery.Write(answer.AsSpan(32), serverTime);
        SntpQuery.Write(answer.AsSpan(40), serverTime);
        Assert.Equal(0x23, request.Buffer[0] & 0x3f);
        Assert.Equal((uint)(TestClock.Start - new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds, BinaryPrimitives.ReadUInt32BigEndian(request.Buffer.AsSpan(40)));
        await server.SendAsync(answer, request.RemoteEndPoint);
    }
}
