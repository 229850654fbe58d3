using System.Security.Cryptography;
using Slipway.Testing;

namespace Slipway.EndToEnd.Tests;

/// <summary>The control API over HTTPS (<c>--api-cert</c>), the CLI trusting it by file or fingerprint, and a plain API off loopback refused.</summary>
public sealed class ApiTlsTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private SlipwayProcess? _daemon;

    private string Manifest => _dir.Combine("slipway.yaml");

    private string StateDir => _dir.Combine("state");

    public Task InitializeAsync()
    {
        File.WriteAllText(Manifest, $$"""
            app: api-tls
            proxy: { listen: ["http://127.0.0.1:0"] }
            services:
              web:
                run: { command: dotnet, args: ["{{BuildOutput.DemoApp}}"], env: { DEMO_VERSION: "v1" } }
                routes: [ { path: / } ]
            """);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null)
        {
            await _daemon.StopAsync();
        }

        _dir.Dispose();
    }

    [Fact]
    public async Task Up_ApiOffLoopbackInPlainHttp_RefusedSayingHowToServeItOverTls()
    {
        // Refused before anything listens: nothing is bound off loopback.
        var daemon = _daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "0.0.0.0:7799");

        Assert.NotEqual(0, await daemon.WaitForExitAsync());
        Assert.Contains(
            "slipway: --api 0.0.0.0:7799 is reachable from other machines and would carry API tokens in plain HTTP: serve it over TLS with --api-cert FILE --api-key FILE (PEM)",
            daemon.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("proxy listening", daemon.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Up_ApiCertificate_CliTalksHttpsTrustingTheCaFileOrTheFingerprintAndRefusesAnUntrustedOne()
    {
        var certificate = TestCertificates.Write(_dir.Path, "api", ["localhost", "127.0.0.1"]);
        var fingerprint = Convert.ToHexString(SHA256.HashData(certificate.RawData));
        var daemon = _daemon = new SlipwayProcess(_dir.Path, "up", Manifest, "--state-dir", StateDir, "--api", "127.0.0.1:0", "--api-cert", "api.pem", "--api-key", "api.key");
        await daemon.UntilAsync(() => daemon.Output.Contains("control API on https://", StringComparison.Ordinal), "the API over HTTPS");
        var api = daemon.Output.Split('\n').First(l => l.StartsWith("slipway: control API on ", StringComparison.Ordinal))["slipway: control API on ".Length..].Trim();

        var byFile = await StatusAsync(api, "--ca-file", "api.pem");
        var byFingerprint = await StatusAsync(api, "--fingerprint", string.Join(':', fingerprint.Chunk(2).Select(c => new string(c))));
        var untrusted = await StatusAsync(api);

        Assert.True(byFile.Exit == 0, byFile.Error);
        Assert.True(byFingerprint.Exit == 0, byFingerprint.Error);
        Assert.Contains("web", byFile.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, untrusted.Exit);
        Assert.Contains($"the daemon at {api} (from --server) presented a certificate this CLI does not trust", untrusted.Error, StringComparison.Ordinal);
        Assert.Contains("--ca-file FILE", untrusted.Error, StringComparison.Ordinal);
    }

    private async Task<(int Exit, string Output, string Error)> StatusAsync(string api, params string[] trust)
    {
        using var status = new SlipwayProcess(_dir.Path, ["status", "--server", api, "--state-dir", StateDir, .. trust]);
        var exit = await status.WaitForExitAsync();
        return (exit, status.Output, status.Error);
    }
}
