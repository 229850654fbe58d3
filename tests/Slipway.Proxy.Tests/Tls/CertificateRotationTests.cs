using System.Net;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Tls;

/// <summary>Certificate files changed under a running proxy: picked up at the next poll, a bad change refused, nobody dropped.</summary>
public sealed class CertificateRotationTests
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Reload_ChangedCertificate_NewHandshakesGetItAndOpenConnectionsKeepWorking()
    {
        await using var tls = await TlsHarness.StartAsync();
        using var client = tls.HttpsClient(HttpVersion.Version20);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/before")).StatusCode);

        TestCertificates.Write(Path.GetDirectoryName(tls.File("default.pem"))!, "default", ["default.test", "www.default.test"]);
        Assert.Equal("default.test", await tls.CertificateForAsync(null));
        tls.Time.Advance(Poll);

        Assert.Equal("default.test,www.default.test", await tls.CertificateForAsync(null));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/after")).StatusCode);
        Assert.Empty(tls.Rejections);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("other key")]
    [InlineData("expired")]
    [InlineData("deleted")]
    public async Task Reload_BadNewFile_OldCertificateServesAndTheReasonIsReportedOnce(string change)
    {
        await using var tls = await TlsHarness.StartAsync();
        var directory = Path.GetDirectoryName(tls.File("exact.pem"))!;
        switch (change)
        {
            case "garbage":
                await File.WriteAllTextAsync(tls.File("exact.pem"), "not a certificate");
                break;
            case "other key":
                TestCertificates.Write(directory, "spare", ["a.example.com"]);
                File.Copy(tls.File("spare.key"), tls.File("exact.key"), overwrite: true);
                break;
            case "expired":
                TestCertificates.Write(directory, "exact", ["a.example.com"], TestClock.Start.AddYears(-2), TestClock.Start.AddDays(-1));
                break;
            default:
                File.Delete(tls.File("exact.pem"));
                break;
        }

        tls.Time.Advance(Poll);
        tls.Time.Advance(Poll);

        Assert.Equal("a.example.com", await tls.CertificateForAsync("a.example.com"));
        Assert.Contains("exact.", Assert.Single(tls.Rejections), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_NameAnotherCertificateServes_Refused()
    {
        await using var tls = await TlsHarness.StartAsync();
        TestCertificates.Write(Path.GetDirectoryName(tls.File("exact.pem"))!, "exact", ["a.example.com", "default.test"]);

        tls.Time.Advance(Poll);

        Assert.Equal("a.example.com", await tls.CertificateForAsync("a.example.com"));
        Assert.Contains("now names default.test, which", Assert.Single(tls.Rejections), StringComparison.Ordinal);
    }

    /// <summary>New connections and requests on open ones, all through five rotations: none fails.</summary>
    [Fact]
    public async Task Reload_UnderLoad_NoRequestFails()
    {
        // The certificate poll and the proxy share the fake clock, which jumps 5 s per rotation: with the pool's 4 s idle
        // expiry every jump would close the idle backend connections, and a new one's connect in flight at the next jump
        // would see its 5 s connect timeout pass at once (a 502 that real time never gives). The pool keeps them here.
        await using var tls = await TlsHarness.StartAsync(o => o with { Backend = o.Backend with { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10) } });
        var directory = Path.GetDirectoryName(tls.File("default.pem"))!;
        using var keepAlive = tls.HttpsClient(HttpVersion.Version11);
        var failures = 0;
        var requests = 0;
        using var stop = new CancellationTokenSource();

        async Task LoadAsync(bool fresh)
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = fresh ? tls.HttpsClient(HttpVersion.Version11) : null;
                try
                {
                    using var response = await (client ?? keepAlive).GetAsync("/");
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                Interlocked.Increment(ref requests);
            }
        }

        var load = new[] { LoadAsync(fresh: true), LoadAsync(fresh: true), LoadAsync(fresh: false), LoadAsync(fresh: false) };
        for (var rotation = 0; rotation < 5; rotation++)
        {
            var before = Volatile.Read(ref requests);
            await Wait.UntilAsync(() => Volatile.Read(ref requests) >= before + 20, "20 requests between rotations", 60);
            TestCertificates.Write(directory, "default", ["default.test", $"r{rotation}.default.test"]);
            tls.Time.Advance(Poll);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Equal("default.test,r4.default.test", await tls.CertificateForAsync(null));
        Assert.Equal(0, failures);
        Assert.True(requests >= 100, $"{requests} requests");
    }
}
