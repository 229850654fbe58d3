using System.Net.Security;
using System.Runtime.Versioning;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Slipway.Proxy.Tests.Support;
using Slipway.Proxy.Tls.Acme;
using Slipway.Testing;

namespace Slipway.Proxy.Tests.Tls.Acme;

/// <summary>
/// Renewals on a manual clock against a real Pebble validating through the edge's plain-HTTP listener: the schedule
/// runs on the test's clock, the client's polling on the system one (Pebble is real).
/// </summary>
public sealed class AcmeRenewalsTests
{
    private const string Host = "shop.acme.test";

    [Fact]
    [SupportedOSPlatform("linux")] // reads the file's mode
    public async Task Start_NoCertificateYet_HandshakeRefusedThenIssuedServedAndRenewedAtTwoThirdsOfItsLifetime()
    {
        await using var setup = await Setup.StartAsync();
        var attempts = new List<(string Host, bool Succeeded, string Result)>();
        await using var renewals = setup.Renewals(setup.Challenges);
        renewals.Attempted += (host, succeeded, result) => attempts.Add((host, succeeded, result));

        Assert.True(await setup.HandshakeFailsAsync(), "a handshake before the first issuance is refused");
        renewals.Start();
        await Wait.UntilAsync(() => attempts.Count == 1, "the first order", seconds: 120);
        Assert.True(attempts[0].Succeeded, attempts[0].Result);
        var first = await setup.ServedAsync();
        var status = Assert.Single(renewals.Status);

        Assert.Equal(Host, TlsHarness.NamesOf(first));
        Assert.Contains("Pebble", first.Issuer, StringComparison.Ordinal);
        Assert.Equal(AcmeBackoff.RenewAt(first.NotBefore, first.NotAfter), status.NextAttempt);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(setup.Options.CertificateFile(Host)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(setup.Options.AccountKeyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(setup.Options.Folder));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(setup.Options.Folder)!));

        setup.Tls.Time.Advance(TimeSpan.FromDays(59));
        await renewals.RenewDueAsync(CancellationToken.None);
        Assert.Single(attempts);

        // The 59-day advance woke the loop; it may set its next timer only after this advance, a day and an hour
        // too late for it. A minute more per look (an hour a few seconds) wakes it wherever its timer landed.
        // Pebble dates the renewed certificate by the real clock, 61 days behind this one: due the moment it arrives,
        // it is renewed again only a day later (AcmeBackoff.NextAfterIssued), never in a loop.
        setup.Tls.Time.Advance(TimeSpan.FromDays(2));
        await Wait.UntilAsync(() =>
        {
            if (attempts.Count < 2)
            {
                setup.Tls.Time.Advance(TimeSpan.FromMinutes(1));
            }

            return attempts.Count >= 2;
        }, "the renewal at two thirds of 90 days", seconds: 120);
        var renewed = await setup.ServedAsync();

        Assert.True(attempts[1].Succeeded, attempts[1].Result);
        Assert.NotEqual(first.Thumbprint, renewed.Thumbprint);
        Assert.Empty(setup.Tls.Rejections);
        Assert.True(Assert.Single(renewals.Status).NextAttempt >= setup.Tls.Time.GetUtcNow() + TimeSpan.FromHours(23), "a certificate due on arrival is renewed a day later");
        Assert.Equal(2, attempts.Count);
    }

    [Fact]
    public async Task RenewDueAsync_ChallengeNotAnsweredByTheEdge_FailureWithTheCasReasonRetriedAfterBackoff()
    {
        await using var setup = await Setup.StartAsync();
        var attempts = new List<(bool Succeeded, string Result)>();
        // The client waits on answers the edge does not serve: the CA's request reaches the backend instead.
        await using var renewals = setup.Renewals(new AcmeChallenges());
        renewals.Attempted += (_, succeeded, result) => attempts.Add((succeeded, result));
        var attempted = setup.Tls.Time.GetUtcNow();

        await renewals.RenewDueAsync(CancellationToken.None);
        await renewals.RenewDueAsync(CancellationToken.None);

        var (succeeded, result) = Assert.Single(attempts);
        var status = Assert.Single(renewals.Status);
        Assert.False(succeeded);
        Assert.Contains($"could not validate {Host} over HTTP-01", result, StringComparison.Ordinal);
        Assert.Contains("urn:ietf:params:acme:error:unauthorized", result, StringComparison.Ordinal);
        Assert.Equal((false, attempted + AcmeBackoff.First), (status.LastSucceeded!.Value, status.NextAttempt));
        Assert.True(await setup.HandshakeFailsAsync(), "still nothing to serve");

        setup.Tls.Time.Advance(AcmeBackoff.First);
        await renewals.RenewDueAsync(CancellationToken.None);

        Assert.Equal(2, attempts.Count);
        Assert.Equal(attempted + AcmeBackoff.First + AcmeBackoff.First * 2, renewals.Status[0].NextAttempt);
    }

    [Fact]
    public async Task RenewDueAsync_CaDown_FailureSaysSoAndTheProxyKeepsServing()
    {
        using var state = new TempDirectory();
        var options = new AcmeOptions { Directory = new Uri($"https://127.0.0.1:{ProxyHarness.DeadPort()}/dir"), Hosts = [Host], StateDirectory = state.Path };
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Certificates = [.. o.Tls.Certificates, .. options.Files()], Challenges = new AcmeChallenges() } });
        await using var renewals = AcmeRenewals.Create(options, tls.Proxy.Certificates!, tls.Proxy.AcmeChallenges!, tls.Time, NullLogger.Instance);

        await renewals.RenewDueAsync(CancellationToken.None);

        Assert.Contains("cannot be reached", renewals.Status[0].LastResult, StringComparison.Ordinal);
        Assert.Equal("default.test", await tls.CertificateForAsync(Host));
    }

    [Fact]
    public async Task Create_StoredCertificateExpiredWhileTheDaemonWasOff_NotServedAndOrderedAtOnce()
    {
        using var state = new TempDirectory();
        var options = new AcmeOptions { Directory = new Uri($"https://127.0.0.1:{ProxyHarness.DeadPort()}/dir"), Hosts = [Host], StateDirectory = state.Path };
        Directory.CreateDirectory(options.Folder);
        TestCertificates.Write(options.Folder, "old", [Host], TestClock.Start.AddDays(-90), TestClock.Start.AddDays(-1));
        File.WriteAllText(options.CertificateFile(Host), File.ReadAllText(Path.Combine(options.Folder, "old.pem")) + File.ReadAllText(Path.Combine(options.Folder, "old.key")));
        await using var tls = await TlsHarness.StartAsync(o => o with { Tls = o.Tls! with { Certificates = [.. o.Tls.Certificates, .. options.Files()], Challenges = new AcmeChallenges() } });

        await using var renewals = AcmeRenewals.Create(options, tls.Proxy.Certificates!, tls.Proxy.AcmeChallenges!, tls.Time, NullLogger.Instance);

        Assert.Equal(tls.Time.GetUtcNow(), renewals.Status[0].NextAttempt);
        Assert.Equal("default.test", await tls.CertificateForAsync(Host));
    }

    /// <summary>Pebble (90-day certificates) validating on a fixed plain-HTTP port, and an edge listening there with ACME's files only.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private readonly TempDirectory _state;
        private readonly HttpClient _http;
        private readonly AcmeAccountKey _key;

        private Setup(Pebble pebble, TlsHarness tls, TempDirectory state, AcmeOptions options, AcmeChallenges challenges)
        {
            Pebble = pebble;
            Tls = tls;
            _state = state;
            Options = options;
            Challenges = challenges;
            _http = pebble.Client();
            _key = AcmeAccountKey.LoadOrCreate(options.AccountKeyFile);
        }

        public Pebble Pebble { get; }

        public TlsHarness Tls { get; }

        public AcmeOptions Options { get; }

        /// <summary>The answers the edge serves.</summary>
        public AcmeChallenges Challenges { get; }

        public static async Task<Setup> StartAsync()
        {
            var httpPort = FreePort.Next();
            var pebble = await Pebble.StartAsync(httpPort, TimeSpan.FromDays(90));
            var state = new TempDirectory();
            var options = new AcmeOptions { Directory = pebble.DirectoryUrl, Hosts = [Host], StateDirectory = state.Path };
            var challenges = new AcmeChallenges();
            // A clock a minute past the real now: Pebble's certificates are valid from the second it issues them, and the store checks that.
            var tls = await TlsHarness.StartAsync(
                o => o with { Listen = [$"http://127.0.0.1:{httpPort}", "https://127.0.0.1:0"], Tls = o.Tls! with { Certificates = options.Files(), Challenges = challenges } },
                time: new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(1)));
            return new Setup(pebble, tls, state, options, challenges);
        }

        public AcmeRenewals Renewals(AcmeChallenges clientChallenges) =>
            new(Options, Tls.Proxy.Certificates!, new AcmeClient(_http, Pebble.DirectoryUrl, _key, clientChallenges, TimeProvider.System), Tls.Time, NullLogger.Instance);

        public async Task<X509Certificate2> ServedAsync()
        {
            await using var ssl = await Tls.HandshakeAsync(Host);
            return X509CertificateLoader.LoadCertificate(ssl.RemoteCertificate!.GetRawCertData());
        }

        public async Task<bool> HandshakeFailsAsync()
        {
            try
            {
                await using SslStream ssl = await Tls.HandshakeAsync(Host);
                return false;
            }
            catch (Exception e) when (e is AuthenticationException or IOException)
            {
                return true;
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Tls.DisposeAsync();
            await Pebble.DisposeAsync();
            _http.Dispose();
            _key.Dispose();
            _state.Dispose();
        }
    }
}
