using System.Runtime.Versioning;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Time.Testing;
using Slipway.Core.Primitives;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Tls.Acme;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Tls.Acme;

/// <summary>
/// The ACME client against a real Pebble whose HTTP-01 checks reach the edge's plain-HTTP listener (redirectHttp on,
/// so the challenge path's exemption is exercised too). Polling waits run on the system clock: Pebble is real.
/// </summary>
public sealed class AcmeClientTests
{
    [Fact]
    [SupportedOSPlatform("linux")] // reads the key file's mode
    public async Task IssueAsync_ChallengeAnsweredByTheEdge_CertificateFromPebbleServedAfterReload()
    {
        var challenges = new AcmeChallenges();
        // A clock at the real now: Pebble's certificate is valid from then, and the store checks that when it loads it.
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Challenges = challenges } }, redirect: true, time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        await using var pebble = await Pebble.StartAsync(tls.HttpPort);
        using var http = pebble.Client();
        using var key = AcmeAccountKey.LoadOrCreate(tls.File("acme/account.key"));
        var client = new AcmeClient(http, pebble.DirectoryUrl, key, challenges, TimeProvider.System);

        var issued = await client.IssueAsync(["a.example.com"], "ops@example.com", CancellationToken.None);
        PrivateFile.Replace(tls.File("exact.pem"), System.Text.Encoding.ASCII.GetBytes(issued.ChainPem));
        PrivateFile.Replace(tls.File("exact.key"), System.Text.Encoding.ASCII.GetBytes(issued.KeyPem));
        // The store's own polling picks the new files up (Pebble's notBefore is the second it issued).
        tls.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Empty(tls.Rejections);

        await using var ssl = await tls.HandshakeAsync("a.example.com");
        var served = X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
        Assert.Equal("a.example.com", TlsHarness.NamesOf(served));
        Assert.Contains("Pebble", served.Issuer, StringComparison.Ordinal);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tls.File("acme/account.key")));
    }

    [Fact]
    public async Task IssueAsync_AccountKeyKept_SameAccountOnTheNextOrder()
    {
        var challenges = new AcmeChallenges();
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Challenges = challenges } });
        await using var pebble = await Pebble.StartAsync(tls.HttpPort);
        using var http = pebble.Client();
        using (var first = AcmeAccountKey.LoadOrCreate(tls.File("account.key")))
        {
            await new AcmeClient(http, pebble.DirectoryUrl, first, challenges, TimeProvider.System).IssueAsync(["b.example.com"], null, CancellationToken.None);
        }

        using var again = AcmeAccountKey.LoadOrCreate(tls.File("account.key"));
        var renewed = await new AcmeClient(http, pebble.DirectoryUrl, again, challenges, TimeProvider.System).IssueAsync(["b.example.com"], null, CancellationToken.None);

        Assert.Contains("BEGIN CERTIFICATE", renewed.ChainPem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_EdgeDoesNotKnowTheToken_FailsWithTheCasReasonAndTheHost()
    {
        // The edge serves another set of answers, so the CA's request reaches the backend, which answers something else.
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Challenges = new AcmeChallenges() } });
        await using var pebble = await Pebble.StartAsync(tls.HttpPort);
        using var http = pebble.Client();
        using var key = AcmeAccountKey.LoadOrCreate(tls.File("account.key"));
        var client = new AcmeClient(http, pebble.DirectoryUrl, key, new AcmeChallenges(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["elsewhere.example.com"], null, CancellationToken.None));

        Assert.Contains("could not validate elsewhere.example.com over HTTP-01", error.Message, StringComparison.Ordinal);
        Assert.Contains("urn:ietf:params:acme:error:unauthorized", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_CaDown_SaysItCannotBeReached()
    {
        using var directory = new TempDirectory();
        using var http = new HttpClient();
        using var key = AcmeAccountKey.LoadOrCreate(directory.Combine("account.key"));
        var client = new AcmeClient(http, new Uri($"http://127.0.0.1:{ProxyHarness.DeadPort()}/dir"), key, new AcmeChallenges(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["a.example.com"], null, CancellationToken.None));

        Assert.Contains("cannot be reached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IssueAsync_DirectoryIsNotAcme_SaysSo()
    {
        await using var tls = await TlsHarness.StartAsync();
        using var http = new HttpClient();
        using var key = AcmeAccountKey.LoadOrCreate(tls.File("account.key"));
        var client = new AcmeClient(http, new Uri($"http://127.0.0.1:{tls.HttpPort}/dir"), key, new AcmeChallenges(), TimeProvider.System);

        var error = await Assert.ThrowsAsync<AcmeException>(() => client.IssueAsync(["a.example.com"], null, CancellationToken.None));

        Assert.Contains("not ACME JSON", error.Message, StringComparison.Ordinal);
    }
}
