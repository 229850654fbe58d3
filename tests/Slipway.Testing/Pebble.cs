using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
namespace Slipway.Testing;

/// <summary>
/// A real Pebble ACME server on 127.0.0.1 with pebble-challtestsrv as its DNS server, which answers every name with
/// 127.0.0.1: Pebble's HTTP-01 checks go to <c>httpPort</c> on loopback, so to the edge under test. Real validation
/// (no PEBBLE_VA_ALWAYS_VALID); only Pebble's random sleeps and random nonce rejections are turned off.
/// </summary>
public sealed class Pebble : IAsyncDisposable
{
    /// <summary>The last lines each started process wrote, for the message when it does not start.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Process, System.Collections.Concurrent.ConcurrentQueue<string>> Output = [];

    private readonly TempDirectory _directory;
    private readonly Process _dns;
    private readonly Process _pebble;
    private readonly byte[] _serverCertificate;

    private Pebble(TempDirectory directory, Process dns, Process pebble, byte[] serverCertificate, Uri directoryUrl, Uri managementUrl)
    {
        _directory = directory;
        _dns = dns;
        _pebble = pebble;
        _serverCertificate = serverCertificate;
        DirectoryUrl = directoryUrl;
        ManagementUrl = managementUrl;
    }

    public Uri DirectoryUrl { get; }

    public Uri ManagementUrl { get; }

    /// <summary>
    /// Starts both, with HTTP-01 validation sent to 127.0.0.1:<paramref name="httpPort"/>; ready when the directory answers.
    /// Certificates are valid for <paramref name="validity"/> (Pebble's default: five years).
    /// </summary>
    public static async Task<Pebble> StartAsync(int httpPort, TimeSpan? validity = null)
    {
        var pebblePath = ExternalTool.Require("pebble", "pebble");
        var dnsPath = ExternalTool.Require("pebble-challtestsrv", "pebble");
        var directory = new TempDirectory();
        var serverCertificate = TestCertificates.Write(directory.Path, "pebble", ["localhost", "127.0.0.1"]).RawData;
        int dnsPort = FreePort.Next(), listenPort = FreePort.Next(), managementPort = FreePort.Next();
        var config = new JsonObject
        {
            ["pebble"] = new JsonObject
            {
                ["listenAddress"] = $"127.0.0.1:{listenPort}",
                ["managementListenAddress"] = $"127.0.0.1:{managementPort}",
                ["certificate"] = directory.Combine("pebble.pem"),
                ["privateKey"] = directory.Combine("pebble.key"),
                ["httpPort"] = httpPort,
                ["tlsPort"] = FreePort.Next(),
                ["ocspResponderURL"] = "",
                ["externalAccountBindingRequired"] = false,
            },
        };
        if (validity is { } period)
        {
            config["pebble"]!["certificateValidityPeriod"] = (long)period.TotalSeconds;
        }

        File.WriteAllText(directory.Combine("pebble.json"), config.ToJsonString());
        var dns = Start(dnsPath, ["-defaultIPv4", "127.0.0.1", "-defaultIPv6", "", "-dns01", $"127.0.0.1:{dnsPort}", "-management", $"127.0.0.1:{FreePort.Next()}", "-http01", "", "-https01", "", "-tlsalpn01", ""]);
        var pebble = Start(pebblePath, ["-config", directory.Combine("pebble.json"), "-dnsserver", $"127.0.0.1:{dnsPort}"]);
        var started = new Pebble(directory, dns, pebble, serverCertificate, new Uri($"https://127.0.0.1:{listenPort}/dir"), new Uri($"https://127.0.0.1:{managementPort}"));
        using var client = started.Client();
        try
        {
            await Wait.UntilAsync(
                async () =>
                {
                    try
                    {
                        using var response = await client.GetAsync(started.DirectoryUrl);
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "pebble's directory to answer",
                seconds: 30,
                detail: () => pebble.HasExited ? $"pebble exited with {pebble.ExitCode}: {Said(pebble)}" : "pebble still starting");
        }
        catch (TimeoutException)
        {
            // Nothing is left running (the DNS server) when Pebble did not start.
            await started.DisposeAsync();
            throw;
        }

        return started;
    }

    /// <summary>An HTTP client that trusts Pebble's own listener certificate and nothing else.</summary>
    public HttpClient Client() => new(new SocketsHttpHandler
    {
        UseProxy = false,
        SslOptions = new()
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetRawCertData().AsSpan().SequenceEqual(_serverCertificate),
        },
    })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Pebble's own listener certificate (PEM), for a client that must trust it by file (<c>trustedCa</c>).</summary>
    public string ServerCertificateFile => _directory.Combine("pebble.pem");

    /// <summary>The root Pebble signs with (it makes a new one each start), for checking an issued chain.</summary>
    public async Task<X509Certificate2> RootAsync()
    {
        using var client = Client();
        return X509Certificate2.CreateFromPem(await client.GetStringAsync(new Uri(ManagementUrl, "/roots/0")));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in new[] { _pebble, _dns })
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        _directory.Dispose();
    }

    private static string Said(Process process) => Output.TryGetValue(process, out var lines) ? string.Join(" | ", lines) : "";

    private static Process Start(string path, string[] args)
    {
        var info = new ProcessStartInfo(path) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["PEBBLE_VA_NOSLEEP"] = "1";
        info.Environment["PEBBLE_WFE_NONCEREJECT"] = "0";
        var process = Process.Start(info)!;
        // Read as it comes (a full pipe would stall them); the last lines are kept for a failing start's message.
        var said = new System.Collections.Concurrent.ConcurrentQueue<string>();
        Output.AddOrUpdate(process, said);
        void Keep(string? line)
        {
            if (line is not null)
            {
                said.Enqueue(line);
                while (said.Count > 20 && said.TryDequeue(out _))
                {
                }
            }
        }

        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
